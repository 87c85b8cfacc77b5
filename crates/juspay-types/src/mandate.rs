//! Mandate (recurring payment) parameters of seed 001 and `spec/mandate-schedule.md`.

/// `mandate.frequency`: how often a recurring mandate may debit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "UPPERCASE"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(clippy::exhaustive_enums, reason = "the closed set of seed 001; a new one is a breaking change on the wire too")]
pub enum MandateFrequency {
    /// One debit at most, any day of the validity.
    Onetime,
    /// Every day.
    Daily,
    /// Once a Monday–Sunday week; rule value 1–7 (Monday = 1).
    Weekly,
    /// Twice a month (1–15, 16–last); rule value 1–16.
    Fortnightly,
    /// Once a month; rule value 1–31.
    Monthly,
    /// Every two months; rule value 1–31.
    Bimonthly,
    /// Every three months; rule value 1–31.
    Quarterly,
    /// Every six months; rule value 1–31.
    Halfyearly,
    /// Every twelve months; rule value 1–31.
    Yearly,
    /// Any number of debits, any day of the validity (the default).
    #[default]
    Aspresented,
}

impl MandateFrequency {
    /// Every frequency, in the order of seed 001's table.
    pub const ALL: [Self; 10] = [
        Self::Onetime,
        Self::Daily,
        Self::Weekly,
        Self::Fortnightly,
        Self::Monthly,
        Self::Bimonthly,
        Self::Quarterly,
        Self::Halfyearly,
        Self::Yearly,
        Self::Aspresented,
    ];

    /// The wire name (`"MONTHLY"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Onetime => "ONETIME",
            Self::Daily => "DAILY",
            Self::Weekly => "WEEKLY",
            Self::Fortnightly => "FORTNIGHTLY",
            Self::Monthly => "MONTHLY",
            Self::Bimonthly => "BIMONTHLY",
            Self::Quarterly => "QUARTERLY",
            Self::Halfyearly => "HALFYEARLY",
            Self::Yearly => "YEARLY",
            Self::Aspresented => "ASPRESENTED",
        }
    }

    /// Parses the wire name exactly (upper case), `None` when unknown.
    pub fn from_wire(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// The inclusive range of `mandate.rule_value`, `None` for frequencies that ignore it
    /// (ONETIME, DAILY, ASPRESENTED).
    pub const fn rule_value_range(self) -> Option<(u8, u8)> {
        match self {
            Self::Weekly => Some((1, 7)),
            Self::Fortnightly => Some((1, 16)),
            Self::Monthly | Self::Bimonthly | Self::Quarterly | Self::Halfyearly | Self::Yearly => {
                Some((1, 31))
            }
            Self::Onetime | Self::Daily | Self::Aspresented => None,
        }
    }
}

/// `mandate.rule_type`: where in its cycle a debit may fall relative to the rule value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "UPPERCASE"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(clippy::exhaustive_enums, reason = "the closed set of seed 001")]
pub enum RuleType {
    /// Exactly on the anchor day (the default, M11).
    #[default]
    On,
    /// From the start of the cycle up to and including the anchor day.
    Before,
    /// From the anchor day to the end of the cycle.
    After,
}

impl RuleType {
    /// The wire name (`"ON"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::On => "ON",
            Self::Before => "BEFORE",
            Self::After => "AFTER",
        }
    }

    /// Parses the wire name exactly (upper case), `None` when unknown.
    pub fn from_wire(s: &str) -> Option<Self> {
        [Self::On, Self::Before, Self::After]
            .into_iter()
            .find(|t| t.as_str() == s)
    }
}

