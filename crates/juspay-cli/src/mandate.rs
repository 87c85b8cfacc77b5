//! `juspay mandate schedule` and `juspay mandate batch` (`docs/spec/cli.md`).

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use juspay_mandate_schedule::Error::{InvalidRuleValue, MissingRuleValue};
use juspay_mandate_schedule::{
    Date, MandateParams, Profile, Schedule, batch, parse_frequency, parse_rule_type,
    parse_rule_value,
};

use crate::Outcome;

/// Arguments of `juspay mandate`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Print the debit dates (and windows) of one mandate.
    Schedule(ScheduleArgs),
    /// Compute schedules for JSON Lines requests, one record per line, in order.
    Batch(BatchArgs),
    /// The mandate at the gateway (`command=check_status`).
    Status(crate::operator::mandate::Args),
    /// Revoke the mandate at the gateway (`command=revoke`).
    Revoke(crate::operator::mandate::Args),
}

/// The gateway profile (M10).
#[derive(Debug, Clone, Copy, Default, clap::ValueEnum)]
enum ProfileArg {
    /// The caller's rule value and type.
    #[default]
    Default,
    /// Rule type BEFORE, rule value the last day of the cycle.
    Razorpay,
    /// Rule type AFTER, rule value from the start date.
    Paytm,
}

impl From<ProfileArg> for Profile {
    fn from(arg: ProfileArg) -> Self {
        match arg {
            ProfileArg::Default => Self::Default,
            ProfileArg::Razorpay => Self::Razorpay,
            ProfileArg::Paytm => Self::Paytm,
        }
    }
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("start_at").required(true).args(["start", "start_ts"])))]
#[command(group(clap::ArgGroup::new("end_at").required(true).args(["end", "end_ts"])))]
struct ScheduleArgs {
    /// ONETIME, DAILY, WEEKLY, FORTNIGHTLY, MONTHLY, BIMONTHLY, QUARTERLY, HALFYEARLY, YEARLY or ASPRESENTED.
    #[arg(long, value_name = "F")]
    frequency: String,
    /// Day of the week (1-7), half month (1-16) or month (1-31).
    #[arg(long, value_name = "V", allow_hyphen_values = true)]
    rule_value: Option<String>,
    /// ON (default), BEFORE or AFTER.
    #[arg(long, value_name = "T")]
    rule_type: Option<String>,
    /// Start (registration) date, YYYY-MM-DD in IST.
    #[arg(long, value_name = "DATE")]
    start: Option<String>,
    /// Start as UNIX epoch seconds (converted to an IST date).
    #[arg(long, value_name = "EPOCH", allow_hyphen_values = true)]
    start_ts: Option<i64>,
    /// End date (last day a debit may fall on), YYYY-MM-DD in IST.
    #[arg(long, value_name = "DATE")]
    end: Option<String>,
    /// End as UNIX epoch seconds (converted to an IST date).
    #[arg(long, value_name = "EPOCH", allow_hyphen_values = true)]
    end_ts: Option<i64>,
    /// Gateway profile.
    #[arg(long, value_enum, default_value_t)]
    profile: ProfileArg,
    /// Allow a debit on the start day itself.
    #[arg(long)]
    include_start: bool,
    /// Print the JSON object of `juspay mandate batch` (without `id`).
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct BatchArgs {
    /// JSON Lines requests; `-` for standard input.
    #[arg(long, value_name = "FILE", default_value = "-")]
    input: PathBuf,
    /// JSON Lines records; `-` for standard output.
    #[arg(long, value_name = "FILE", default_value = "-")]
    output: PathBuf,
}

pub(crate) fn run(args: &Args) -> anyhow::Result<Outcome> {
    match &args.command {
        Command::Schedule(args) => schedule(args),
        Command::Batch(args) => run_batch(args),
        Command::Status(args) => crate::operator::mandate::status(args),
        Command::Revoke(args) => crate::operator::mandate::revoke(args),
    }
}

/// A library error as `CODE: message`.
fn coded(field: &str, error: juspay_mandate_schedule::Error) -> anyhow::Error {
    anyhow::anyhow!("{}: {field}: {error}", error.code())
}

fn date_arg(text: Option<&str>, ts: Option<i64>, flag: &str) -> anyhow::Result<Date> {
    match (text, ts) {
        (Some(text), _) => text
            .parse::<Date>()
            .map_err(|e| coded(&format!("--{flag} {text:?}"), e)),
        (None, Some(ts)) => {
            Date::from_unix_seconds_ist(ts).map_err(|e| coded(&format!("--{flag}-ts"), e))
        }
        // clap's argument groups require one of the two.
        (None, None) => anyhow::bail!("one of --{flag} or --{flag}-ts is required"),
    }
}

fn schedule_of(args: &ScheduleArgs) -> anyhow::Result<Schedule> {
    let frequency = parse_frequency(&args.frequency)
        .map_err(|e| coded(&format!("--frequency {:?}", args.frequency), e))?;
    let start = date_arg(args.start.as_deref(), args.start_ts, "start")?;
    let end = date_arg(args.end.as_deref(), args.end_ts, "end")?;
    let profile = Profile::from(args.profile);
    let mut params = MandateParams::new(frequency, start, end)
        .profile(profile)
        .include_start(args.include_start);
    // The rule is parsed only where it is used (M8–M11), in M11's order: value, then type.
    if profile.uses_caller_rule(frequency) {
        if let Some(text) = &args.rule_value {
            let value =
                parse_rule_value(text).map_err(|e| coded(&format!("--rule-value {text:?}"), e))?;
            params = params.rule_value(Some(value));
        }
        if let Err(error @ (MissingRuleValue { .. } | InvalidRuleValue { .. })) = params.schedule()
        {
            return Err(coded("--rule-value", error));
        }
        if let Some(text) = &args.rule_type {
            let rule_type =
                parse_rule_type(text).map_err(|e| coded(&format!("--rule-type {text:?}"), e))?;
            params = params.rule_type(Some(rule_type));
        }
    }
    params.schedule().map_err(|e| coded("mandate", e))
}

fn schedule(args: &ScheduleArgs) -> anyhow::Result<Outcome> {
    let schedule = schedule_of(args)?;
    let mut out = BufWriter::new(crate::output::stdout());
    write_schedule(&mut out, &schedule, args.json).and_then(|()| out.flush())?;
    Ok(Outcome::Success)
}

/// `--json`: the record of `juspay mandate batch`. Otherwise one debit per line (`DATE`, or
/// `DATE<TAB>WINDOW_START<TAB>WINDOW_END` for BEFORE/AFTER), or `window<TAB>START<TAB>END`
/// for ONETIME and ASPRESENTED.
fn write_schedule(out: &mut impl Write, schedule: &Schedule, json: bool) -> io::Result<()> {
    if json {
        return batch::write_schedule_json(out, schedule);
    }
    if let Some(window) = schedule.open_window() {
        writeln!(out, "window\t{}\t{}", window.start, window.end)?;
    } else if schedule.has_windows() {
        for occurrence in schedule.occurrences() {
            let window = occurrence.window;
            writeln!(out, "{}\t{}\t{}", occurrence.date, window.start, window.end)?;
        }
    } else {
        for date in schedule.dates() {
            writeln!(out, "{date}")?;
        }
    }
    Ok(())
}

fn is_stdio(path: &Path) -> bool {
    path.as_os_str() == "-"
}

fn run_batch(args: &BatchArgs) -> anyhow::Result<Outcome> {
    const BUFFER: usize = 64 * 1024;
    let input: Box<dyn Read> = if is_stdio(&args.input) {
        Box::new(io::stdin().lock())
    } else {
        let file = File::open(&args.input);
        Box::new(file.with_context(|| format!("cannot open --input {}", args.input.display()))?)
    };
    let output: Box<dyn Write> = if is_stdio(&args.output) {
        Box::new(crate::output::stdout())
    } else {
        let file = File::create(&args.output);
        Box::new(file.with_context(|| format!("cannot create --output {}", args.output.display()))?)
    };
    let input = BufReader::with_capacity(BUFFER, input);
    batch::run(input, BufWriter::with_capacity(BUFFER, output))
        .context("mandate batch: reading input or writing output")?;
    Ok(Outcome::Success)
}
