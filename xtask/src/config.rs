//! `train --config FILE`: settings from a TOML file or a run's `config.json`, under the
//! flags of the command line; and the settings a run records so that it can be repeated.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::Path;

use clap::parser::ValueSource;
use clap::{ArgMatches, Command, CommandFactory, FromArgMatches};

use crate::cli::Cli;

/// `(flag, value)` pairs in the order given: `("lr", "0.001")`, `("bucket", "true")`.
pub type Settings = Vec<(String, String)>;

/// Settings a run does not record: where it writes, and the file it was read from.
const NOT_RECORDED: [&str; 3] = ["out", "config", "resume"];

/// Parses `argv` as the command line, reading `train --config FILE` into it and recording
/// the settings of a `train` command in its [`TrainArgs::settings`](crate::cli::TrainArgs).
///
/// # Errors
/// clap's error for a command line that does not parse, or one naming what is wrong with
/// the config file.
pub fn parse(argv: Vec<OsString>) -> Result<Cli, clap::Error> {
    let mut matches = Cli::command().try_get_matches_from(&argv)?;
    // The lines a config or a resume stands for are rebuilt from `train`'s own flags.
    let offline = matches.get_flag("offline");
    if let Some(("train", train)) = matches.subcommand() {
        let line = with_config(&argv, train).map_err(|e| {
            clap::Error::raw(clap::error::ErrorKind::ValueValidation, format!("{e}\n"))
        })?;
        if let Some(line) = line {
            matches = Cli::command().try_get_matches_from(line)?;
        }
    }
    let mut cli = Cli::from_arg_matches(&matches)?;
    cli.offline |= offline;
    if let (crate::cli::Command::Train(args), Some(("train", train))) =
        (&mut cli.command, matches.subcommand())
    {
        args.settings = recorded(train);
    }
    Ok(cli)
}

/// The `train` command's grammar.
pub fn train_command() -> Command {
    Cli::command()
        .find_subcommand("train")
        .expect("the CLI has a train command")
        .clone()
}

/// The settings of a parsed `train` command line: every flag with a value (defaults
/// included) and the model, as `config.json` records them.
pub fn recorded(matches: &ArgMatches) -> BTreeMap<String, String> {
    let mut settings = BTreeMap::new();
    for arg in train_command().get_arguments() {
        let id = arg.get_id().as_str();
        let name = arg.get_long().unwrap_or(id).to_string();
        if NOT_RECORDED.contains(&name.as_str()) || matches.value_source(id).is_none() {
            continue;
        }
        if let Some(raw) = matches.get_raw(id) {
            let values: Vec<String> = raw.map(|v| v.to_string_lossy().into_owned()).collect();
            settings.insert(name, values.join(","));
        }
    }
    settings
}

/// The command line to parse instead of `argv` when its `train` command names
/// `--config FILE`: the file's settings first, then every flag given on the command line
/// (so those win). `None` without `--config`.
///
/// # Errors
/// When the file cannot be read, is neither TOML nor a run's `config.json`, names a
/// setting `train` does not have, or names another model than the command line.
pub fn with_config(
    argv: &[OsString],
    matches: &ArgMatches,
) -> crate::Result<Option<Vec<OsString>>> {
    if let Some(run) = matches.get_one::<std::path::PathBuf>("resume") {
        return resumed(argv, matches, run).map(Some);
    }
    with_config_file(argv, matches)
}

/// [`with_config`] for a command line that does not resume a run.
fn with_config_file(
    argv: &[OsString],
    matches: &ArgMatches,
) -> crate::Result<Option<Vec<OsString>>> {
    let Some(file) = matches.get_one::<std::path::PathBuf>("config") else {
        return Ok(None);
    };
    let mut from_file = read(file)?;
    let given = |id: &str| matches.value_source(id) == Some(ValueSource::CommandLine);
    let model_given = given("model").then(|| raw(matches, "model"));
    let model = match (
        from_file.iter().position(|(k, _)| k == "model"),
        model_given,
    ) {
        (Some(i), Some(given)) if from_file[i].1 != given => {
            return Err(format!(
                "{}: the file trains `{}` but the command line names `{given}`: drop one",
                file.display(),
                from_file[i].1
            )
            .into())
        }
        (Some(i), _) => from_file.remove(i).1,
        (None, Some(given)) => given,
        (None, None) => {
            return Err(format!(
                "{}: name the model, in the file (`model = \"lenet\"`) or on the command line",
                file.display()
            )
            .into())
        }
    };
    from_file.retain(|(k, _)| !NOT_RECORDED.contains(&k.as_str()));
    let mut line: Vec<OsString> = vec![argv[0].clone(), "train".into(), model.into()];
    line.extend(to_flags(&from_file).map_err(|e| format!("{}: {e}", file.display()))?);
    let on_command_line: Settings = train_command()
        .get_arguments()
        .map(|a| a.get_id().as_str())
        .filter(|&id| id != "model" && id != "config" && given(id))
        .map(|id| (long(id), raw(matches, id)))
        .collect();
    line.extend(to_flags(&on_command_line)?);
    Ok(Some(line))
}

/// The command line `train --resume RUN` stands for: RUN's recorded settings, written
/// into RUN again.
///
/// # Errors
/// When another flag is given too (the resumed run keeps the settings it started with).
fn resumed(argv: &[OsString], matches: &ArgMatches, run: &Path) -> crate::Result<Vec<OsString>> {
    let others: Vec<String> = train_command()
        .get_arguments()
        .map(|a| a.get_id().as_str())
        .filter(|&id| id != "resume" && matches.value_source(id) == Some(ValueSource::CommandLine))
        .map(long)
        .collect();
    if !others.is_empty() {
        return Err(format!(
            "--resume continues {} with the settings it started with: leave out {} (to \
             change a setting, start a new run with `--config {}`)",
            run.display(),
            others
                .iter()
                .map(|f| format!("--{f}"))
                .collect::<Vec<_>>()
                .join(", "),
            run.join("config.json").display()
        )
        .into());
    }
    let config = run.join("config.json");
    if !config.is_file() {
        return Err(format!(
            "{}: not a run folder (no config.json); give the folder `cargo xtask train` \
             printed as `run folder:`",
            run.display()
        )
        .into());
    }
    let line: Vec<OsString> = vec![
        argv[0].clone(),
        "train".into(),
        "--config".into(),
        config.into(),
        "--out".into(),
        run.into(),
        "--resume".into(),
        run.into(),
    ];
    let matches = crate::cli::Cli::command().try_get_matches_from(&line)?;
    let Some(("train", train)) = matches.subcommand() else {
        unreachable!("the line is a train command");
    };
    Ok(with_config_file(&line, train)?.unwrap_or(line))
}

/// The flags that set `settings` on `train`'s command line: `--lr 0.001`, `--bucket`.
///
/// # Errors
/// When a setting is not one of `train`'s flags, or a switch is given another value than
/// `true` or `false`.
pub fn to_flags(settings: &[(String, String)]) -> crate::Result<Vec<OsString>> {
    let command = train_command();
    let mut flags = Vec::new();
    for (name, value) in settings {
        let arg = command
            .get_arguments()
            .find(|a| a.get_long() == Some(name.as_str()))
            .ok_or_else(|| {
                format!(
                    "`{name}` is not a setting of `cargo xtask train` (its settings are its \
                     flags without the dashes: see `cargo xtask train --help`)"
                )
            })?;
        if arg.get_action().takes_values() {
            flags.push(format!("--{name}").into());
            flags.push(value.into());
        } else {
            match value.as_str() {
                "true" => flags.push(format!("--{name}").into()),
                "false" => {}
                _ => {
                    return Err(format!(
                        "`{name}` is a switch: give it true or false, not `{value}`"
                    )
                    .into())
                }
            }
        }
    }
    Ok(flags)
}

/// The settings that `flags` (a `train` command line after the model) set: the inverse of
/// [`to_flags`].
///
/// # Errors
/// When a flag is not one of `train`'s, or lacks its value.
pub fn from_flags(flags: &[String]) -> crate::Result<Settings> {
    let command = train_command();
    let mut settings = Settings::new();
    let mut rest = flags.iter();
    while let Some(flag) = rest.next() {
        let (name, inline) = match flag.strip_prefix("--") {
            Some(f) => match f.split_once('=') {
                Some((name, value)) => (name, Some(value.to_string())),
                None => (f, None),
            },
            None => {
                return Err(
                    format!("`{flag}`: give training settings as flags, e.g. `--lr 1e-3`").into(),
                )
            }
        };
        let arg = command
            .get_arguments()
            .find(|a| a.get_long() == Some(name))
            .ok_or_else(|| format!("`--{name}` is not a flag of `cargo xtask train`"))?;
        let value = if !arg.get_action().takes_values() {
            "true".to_string()
        } else if let Some(v) = inline {
            v
        } else {
            rest.next()
                .cloned()
                .ok_or_else(|| format!("`--{name}` needs a value"))?
        };
        settings.push((name.to_string(), value));
    }
    Ok(settings)
}

/// The settings in `path`: a TOML table of `flag = value`, or a run's `config.json` (its
/// `settings`).
///
/// # Errors
/// When the file cannot be read or holds no settings.
pub fn read(path: &Path) -> crate::Result<Settings> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if path.extension().is_some_and(|e| e == "json") {
        let record: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let Some(settings) = record["settings"].as_object() else {
            return Err(format!(
                "{}: no `settings` in this config.json (runs record them since Ember 0.1 \
                 with `cargo xtask train`); write the flags in a TOML file instead",
                path.display()
            )
            .into());
        };
        return settings
            .iter()
            .map(|(k, v)| {
                let text = match v {
                    serde_json::Value::String(s) => Some(s.clone()),
                    serde_json::Value::Number(n) => Some(n.to_string()),
                    serde_json::Value::Bool(b) => Some(b.to_string()),
                    _ => None,
                };
                Ok((k.clone(), scalar(text, v, path, k)?))
            })
            .collect();
    }
    let table: toml::Table = toml::from_str(&text).map_err(|e| {
        format!(
            "{}: not TOML: {e}(write one `flag = value` per line, e.g. `lr = 3e-3`)",
            path.display()
        )
    })?;
    table
        .iter()
        .map(|(k, v)| {
            let text = match v {
                toml::Value::String(s) => Some(s.clone()),
                toml::Value::Integer(i) => Some(i.to_string()),
                toml::Value::Float(f) => Some(f.to_string()),
                toml::Value::Boolean(b) => Some(b.to_string()),
                _ => None,
            };
            Ok((k.clone(), scalar(text, v, path, k)?))
        })
        .collect()
}

fn scalar(
    text: Option<String>,
    value: &dyn std::fmt::Display,
    path: &Path,
    key: &str,
) -> crate::Result<String> {
    text.ok_or_else(|| {
        format!(
            "{}: `{key} = {value}`: a setting is a string, a number or true/false",
            path.display()
        )
        .into()
    })
}

fn long(id: &str) -> String {
    train_command()
        .get_arguments()
        .find(|a| a.get_id() == id)
        .and_then(|a| a.get_long())
        .unwrap_or(id)
        .to_string()
}

fn raw(matches: &ArgMatches, id: &str) -> String {
    matches
        .get_raw(id)
        .map(|r| {
            r.map(|v| v.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default()
}
