//! Argon2id password hashing on the blocking thread pool, with a bound on the hashes in flight
//! and a precomputed dummy hash so that unknown users cost as much time as known ones.
//!
//! Each hash needs `memory_kib` of working memory (19 MiB by default). That memory is kept in a
//! small pool and reused, one buffer per permitted hash: allocating it afresh on whichever
//! blocking thread runs the hash would leave a freed buffer behind in many threads' malloc
//! arenas, and the process would grow to hundreds of megabytes under a sign-in flood.

use std::sync::{Arc, Mutex};

use argon2::{
    password_hash::{Output, PasswordHash, SaltString},
    Algorithm, Argon2, Block, Params, Version,
};
use rand::RngCore;
use tokio::sync::Semaphore;

use super::{error::AuthError, password::Password};
use crate::config::PasswordHashSettings;

/// Length of the hash stored for a password, in bytes (Argon2's default).
const HASH_LEN: usize = 32;
/// Length of a password's random salt, in bytes.
const SALT_LEN: usize = 16;

/// Argon2 working memory: one buffer per hash in flight, reused.
type Workspace = Vec<Block>;

/// Hashes and verifies passwords. Cheap to clone; clones share the concurrency bound.
#[derive(Clone)]
pub struct PasswordHasher {
    params: Params,
    permits: Arc<Semaphore>,
    /// Idle working memory; never more buffers than permits.
    workspaces: Arc<Mutex<Vec<Workspace>>>,
    /// A hash of a random password under the same parameters, verified when the user is
    /// unknown so that the response takes as long as for a wrong password.
    dummy_hash: Arc<str>,
}

impl PasswordHasher {
    /// A hasher with the configured Argon2id cost. Computes the dummy hash once, synchronously:
    /// call at start-up, before serving.
    pub fn new(settings: PasswordHashSettings) -> Result<Self, AuthError> {
        let params = Params::new(
            settings.memory_kib,
            settings.iterations,
            settings.parallelism,
            None,
        )
        .map_err(|e| AuthError::Internal(format!("argon2 parameters: {e}")))?;
        let mut random = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut random);
        let dummy_password: String = random.iter().map(|b| format!("{b:02x}")).collect();
        let mut workspace = Workspace::new();
        let dummy_hash = hash_blocking(&params, &dummy_password, &mut workspace)?;
        Ok(Self {
            params,
            permits: Arc::new(Semaphore::new(settings.max_concurrent)),
            workspaces: Arc::new(Mutex::new(vec![workspace])),
            dummy_hash: dummy_hash.into(),
        })
    }

    /// A PHC-format Argon2id hash of `password` with a fresh random salt.
    pub async fn hash(&self, password: &Password) -> Result<String, AuthError> {
        let params = self.params.clone();
        let password = password.expose().to_owned();
        self.run(move |workspace| hash_blocking(&params, &password, workspace))
            .await?
    }

    /// Whether `password` matches `stored` (a PHC hash). `None` verifies against the dummy hash
    /// and always answers `false`, in the same time as a real check.
    pub async fn verify(
        &self,
        password: &Password,
        stored: Option<&str>,
    ) -> Result<bool, AuthError> {
        let is_real = stored.is_some();
        let stored = stored.unwrap_or(&self.dummy_hash).to_owned();
        let password = password.expose().to_owned();
        let matches = self
            .run(move |workspace| verify_blocking(&password, &stored, workspace))
            .await??;
        Ok(is_real && matches)
    }

    /// Runs `work` on the blocking pool with one of the pooled workspaces, once a permit is
    /// free.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Workspace) -> T + Send + 'static,
    ) -> Result<T, AuthError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| AuthError::Internal(format!("hash semaphore closed: {e}")))?;
        let mut workspace = self.take_workspace();
        let workspaces = Arc::clone(&self.workspaces);
        tokio::task::spawn_blocking(move || {
            let result = work(&mut workspace);
            if let Ok(mut idle) = workspaces.lock() {
                idle.push(workspace);
            }
            result
        })
        .await
        .map_err(|e| AuthError::Internal(format!("hashing task failed: {e}")))
    }

    /// An idle workspace, or a new empty one (sized by the first hash that uses it).
    fn take_workspace(&self) -> Workspace {
        self.workspaces
            .lock()
            .ok()
            .and_then(|mut idle| idle.pop())
            .unwrap_or_default()
    }
}

/// Maps an argon2 or PHC-format error to an internal error naming the step that failed.
fn internal<E: std::fmt::Display>(what: &str) -> impl FnOnce(E) -> AuthError + '_ {
    move |e| AuthError::Internal(format!("{what}: {e}"))
}

/// Fills `out` with the Argon2 hash of `password` and `salt`, in `workspace` (grown to the
/// size `params` needs, and kept at that size for the next hash).
fn hash_into(
    algorithm: Algorithm,
    version: Version,
    params: Params,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
    workspace: &mut Workspace,
) -> Result<(), AuthError> {
    let blocks = params.block_count();
    if workspace.len() < blocks {
        workspace.resize(blocks, Block::new());
    }
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password, salt, out, &mut workspace[..blocks])
        .map_err(internal("argon2 hashing"))
}

/// A PHC-format Argon2id hash of `password` with a fresh random salt.
fn hash_blocking(
    params: &Params,
    password: &str,
    workspace: &mut Workspace,
) -> Result<String, AuthError> {
    let mut salt = [0u8; SALT_LEN];
    rand::thread_rng().fill_bytes(&mut salt);
    let mut hash = [0u8; HASH_LEN];
    hash_into(
        Algorithm::Argon2id,
        Version::V0x13,
        params.clone(),
        password.as_bytes(),
        &salt,
        &mut hash,
        workspace,
    )?;
    let salt = SaltString::encode_b64(&salt).map_err(internal("salt encoding"))?;
    let hash = Output::new(&hash).map_err(internal("hash encoding"))?;
    Ok(format!(
        "$argon2id$v=19$m={},t={},p={}${}${}",
        params.m_cost(),
        params.t_cost(),
        params.p_cost(),
        salt.as_str(),
        hash
    ))
}

/// Whether `password` hashes to `stored`, a PHC string that carries its own algorithm,
/// version, parameters and salt. The comparison takes constant time.
fn verify_blocking(
    password: &str,
    stored: &str,
    workspace: &mut Workspace,
) -> Result<bool, AuthError> {
    let parsed = PasswordHash::new(stored).map_err(internal("stored password hash unreadable"))?;
    let algorithm = Algorithm::try_from(parsed.algorithm).map_err(internal("stored algorithm"))?;
    let version = match parsed.version {
        Some(version) => Version::try_from(version).map_err(internal("stored version"))?,
        None => Version::V0x13,
    };
    let params = Params::try_from(&parsed).map_err(internal("stored parameters"))?;
    let expected = parsed
        .hash
        .ok_or_else(|| AuthError::Internal("stored password hash has no hash".into()))?;
    let salt = parsed
        .salt
        .ok_or_else(|| AuthError::Internal("stored password hash has no salt".into()))?;
    let mut salt_buf = [0u8; 64];
    let salt = salt
        .decode_b64(&mut salt_buf)
        .map_err(internal("stored salt"))?;

    let mut computed = vec![0u8; expected.len()];
    hash_into(
        algorithm,
        version,
        params,
        password.as_bytes(),
        salt,
        &mut computed,
        workspace,
    )?;
    let computed = Output::new(&computed).map_err(internal("hash length"))?;
    // `Output`'s equality is constant-time.
    Ok(computed == expected)
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};

    use super::*;

    /// Small parameters so the tests run fast; the code paths are the same.
    fn params() -> Params {
        Params::new(64, 1, 1, None).expect("valid test parameters")
    }

    #[test]
    fn a_hash_is_phc_argon2id_and_verifies_with_the_argon2_crate() {
        let mut workspace = Workspace::new();
        let hash = hash_blocking(&params(), "a long private phrase", &mut workspace).unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{hash}");
        let parsed = PasswordHash::new(&hash).unwrap();
        let argon = Argon2::default();
        assert!(argon
            .verify_password(b"a long private phrase", &parsed)
            .is_ok());
        assert!(argon.verify_password(b"another phrase", &parsed).is_err());
        assert_eq!(workspace.len(), params().block_count());
    }

    #[test]
    fn a_hash_made_by_the_argon2_crate_verifies_here() {
        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params());
        let stored = argon
            .hash_password(b"correct horse", &salt)
            .unwrap()
            .to_string();
        let mut workspace = Workspace::new();
        assert!(verify_blocking("correct horse", &stored, &mut workspace).unwrap());
        assert!(!verify_blocking("correct horsf", &stored, &mut workspace).unwrap());
    }

    #[test]
    fn a_stronger_stored_hash_grows_the_workspace_and_still_verifies() {
        let stronger = Params::new(256, 2, 1, None).unwrap();
        let mut workspace = Workspace::new();
        let stored = hash_blocking(&stronger, "phrase", &mut workspace).unwrap();
        let mut small = Workspace::new();
        hash_blocking(&params(), "warm up", &mut small).unwrap();
        assert!(verify_blocking("phrase", &stored, &mut small).unwrap());
        assert_eq!(small.len(), stronger.block_count());
    }

    #[test]
    fn an_unreadable_stored_hash_is_an_internal_error_not_a_panic() {
        let mut workspace = Workspace::new();
        for stored in [
            "",
            "$argon2id$",
            "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$",
            "plain",
        ] {
            assert!(
                verify_blocking("x", stored, &mut workspace).is_err(),
                "{stored:?}"
            );
        }
    }
}
