//! The server secret: signs session cookies and derives the key that encrypts JWT signing keys.

use std::{fmt, fs, io::Write, path::Path};

use rand::RngCore;

use super::{ConfigError, Mode};

/// The shortest secret accepted, in bytes.
pub const MIN_SECRET_LEN: usize = 32;

/// The name of the generated development secret inside the data directory.
const DEV_SECRET_FILE: &str = "dev-secret";

/// The server secret. Its `Debug` never shows the value.
#[derive(Clone)]
pub struct ServerSecret(Vec<u8>);

impl ServerSecret {
    /// A secret from raw bytes; `None` when shorter than [`MIN_SECRET_LEN`].
    pub fn new(bytes: Vec<u8>) -> Option<Self> {
        (bytes.len() >= MIN_SECRET_LEN).then_some(Self(bytes))
    }

    /// The secret's bytes, for keyed hashing and key derivation only.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for ServerSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ServerSecret([redacted])")
    }
}

/// Picks the secret: the configured one, or in development a generated one kept in the data
/// directory so sessions survive restarts. Returns whether it was generated.
pub(super) fn resolve(
    configured: Option<&str>,
    mode: Mode,
    data_dir: &Path,
) -> Result<(ServerSecret, bool), ConfigError> {
    if let Some(text) = configured {
        return ServerSecret::new(text.as_bytes().to_vec()).map(|s| (s, false)).ok_or_else(|| {
            ConfigError::invalid(
                "APP_SECRET",
                format!("the secret is {} bytes long, fewer than {MIN_SECRET_LEN}", text.len()),
                "set APP_SECRET to at least 32 random bytes, e.g. the output of `openssl rand -base64 48`",
            )
        });
    }
    if mode == Mode::Production {
        return Err(ConfigError::invalid(
            "APP_SECRET",
            "no secret is set and the server runs in production mode".to_owned(),
            "set APP_SECRET to at least 32 random bytes, e.g. the output of `openssl rand -base64 48`",
        ));
    }
    load_or_create_dev_secret(data_dir).map(|s| (s, true))
}

fn load_or_create_dev_secret(data_dir: &Path) -> Result<ServerSecret, ConfigError> {
    let path = data_dir.join(DEV_SECRET_FILE);
    let unusable = |e: std::io::Error| {
        ConfigError::invalid(
            "APP_DATA_DIR",
            format!(
                "cannot keep the development secret in {}: {e}",
                path.display()
            ),
            "make the data directory writable, or set APP_SECRET",
        )
    };
    if let Ok(existing) = fs::read_to_string(&path) {
        if let Some(secret) = ServerSecret::new(existing.trim().as_bytes().to_vec()) {
            return Ok(secret);
        }
    }
    fs::create_dir_all(data_dir).map_err(unusable)?;
    let mut raw = [0u8; 48];
    rand::thread_rng().fill_bytes(&mut raw);
    let text: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    write_private_file(&path, text.as_bytes()).map_err(unusable)?;
    Ok(ServerSecret(text.into_bytes()))
}

fn write_private_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents)
}
