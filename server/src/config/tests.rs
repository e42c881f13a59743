use super::*;

fn load(toml_text: &str, env: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let file: ConfigFile = toml::from_str(toml_text).expect("test file parses");
    let dir = std::env::temp_dir().join(format!("tasks-config-test-{}", rand::random::<u64>()));
    let mut pairs: Vec<(String, String)> = vec![("APP_DATA_DIR".into(), dir.display().to_string())];
    pairs.extend(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Config::from_parts(file, &Environment::from_pairs(pairs))
}

#[test]
fn defaults_give_sqlite_in_the_data_dir_and_the_contract_rate_limits() {
    let config = load("", &[]).unwrap();
    assert!(
        matches!(config.database_url, DatabaseUrl::Sqlite(ref u) if u.ends_with("tasks.db?mode=rwc"))
    );
    assert_eq!(config.address.to_string(), "127.0.0.1:3000");
    assert_eq!(
        config.auth.rate_limit.credentials,
        RateRule {
            max: 3,
            window: Duration::from_secs(10)
        }
    );
    assert_eq!(
        config.auth.rate_limit.general,
        RateRule {
            max: 100,
            window: Duration::from_secs(10)
        }
    );
    assert_eq!(config.jwt.issuer, "http://127.0.0.1:3000");
    assert!(config.secret_generated);
}

#[test]
fn production_without_a_secret_refuses_to_start() {
    let err = load("", &[("APP_MODE", "production")]).unwrap_err();
    assert_eq!(err.setting, "APP_SECRET");
}

#[test]
fn a_short_secret_is_refused_in_any_mode() {
    let err = load("", &[("APP_SECRET", "too-short")]).unwrap_err();
    assert_eq!(err.setting, "APP_SECRET");
    assert!(err.problem.contains("9 bytes"), "{}", err.problem);
}

#[test]
fn an_unparsable_database_url_names_the_setting_without_echoing_it() {
    let err = load("", &[("DATABASE_URL", "mysql://root:hunter2@db/x")]).unwrap_err();
    assert_eq!(err.setting, "DATABASE_URL");
    assert!(!err.to_string().contains("hunter2"));
}

#[test]
fn postgres_urls_select_postgres() {
    let config = load(
        "",
        &[("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")],
    )
    .unwrap();
    assert_eq!(
        config.database_url,
        DatabaseUrl::Postgres("postgres://postgres@127.0.0.1:5432/test".into())
    );
}

#[test]
fn unknown_keys_in_the_file_are_errors() {
    let err = toml::from_str::<ConfigFile>("[server]\nadress = \"x\"").unwrap_err();
    assert!(err.message().contains("adress"), "{}", err.message());
}
