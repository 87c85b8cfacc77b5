//! Backend gateways and their mandatory-parameter table (`docs/spec/server-api.md`, Field rules).
//!
//! "Different payment gateways & aggregators have a varying set of parameters that are
//! mandatory" (`docs/spec/server-api.md`, Field rules). [`MANDATORY_PARAMETERS`] encodes that table cell by cell;
//! [`Gateway::requirement`] reads it and
//! [`CreateOrderRequest::check_for_gateway`](crate::CreateOrderRequest::check_for_gateway)
//! reports every field the chosen gateway requires and the order lacks.

use alloc::vec::Vec;

closed_enum! {
    /// A backend gateway or aggregator of the mandatory-parameter table.
    pub enum Gateway {
        /// HDFC Bank.
        Hdfc = "HDFC",
        /// ICICI Bank.
        Icici = "ICICI",
        /// Axis Bank.
        Axis = "Axis",
        /// PayU.
        PayU = "PayU",
        /// Citrus.
        Citrus = "Citrus",
        /// Paytm.
        PayTm = "PayTM",
        /// EBS.
        Ebs = "EBS",
        /// Razorpay.
        RazorPay = "RazorPay",
        /// CCAvenue.
        CcAvenue = "CCAvenue",
    }
}

/// One cell of the mandatory-parameter table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(
    clippy::exhaustive_enums,
    reason = "the three values the mandatory-parameter table uses"
)]
pub enum Requirement {
    /// "Yes": the gateway requires the parameter.
    Yes,
    /// "Optional": send it if you have it; not required.
    Optional,
    /// "No": not used by the gateway; not required.
    No,
}

impl Requirement {
    /// Whether the parameter must be sent ("Yes" only).
    pub const fn is_required(self) -> bool {
        matches!(self, Self::Yes)
    }
}

use Requirement::{No as N, Optional as O, Yes as Y};

/// The address-field row shared by the 22 billing and shipping parameters.
const ADDRESS_ROW: [Requirement; 9] = [N, N, N, O, O, N, Y, N, Y];

/// The mandatory-parameter table (`docs/spec/server-api.md`, Field rules): one row per parameter (wire name), one column per gateway in
/// [`Gateway::ALL`] order (HDFC, ICICI, Axis, PayU, Citrus, PayTM, EBS, RazorPay, CCAvenue).
pub const MANDATORY_PARAMETERS: &[(&str, [Requirement; 9])] = &[
    ("order_id", [Y, Y, Y, Y, Y, Y, Y, Y, Y]),
    ("amount", [Y, Y, Y, Y, Y, Y, Y, Y, Y]),
    ("customer_id", [Y, Y, Y, Y, Y, Y, Y, Y, Y]),
    ("customer_email", [Y, Y, Y, Y, Y, Y, Y, Y, Y]),
    ("customer_phone", [O, O, O, Y, Y, Y, Y, Y, Y]),
    ("description", [O, O, Y, Y, Y, Y, Y, Y, Y]),
    ("product_id", [N, N, N, N, N, N, N, N, N]),
    ("billing_address_first_name", ADDRESS_ROW),
    ("billing_address_last_name", ADDRESS_ROW),
    ("billing_address_line1", ADDRESS_ROW),
    ("billing_address_line2", ADDRESS_ROW),
    ("billing_address_line3", ADDRESS_ROW),
    ("billing_address_city", ADDRESS_ROW),
    ("billing_address_state", ADDRESS_ROW),
    ("billing_address_country", ADDRESS_ROW),
    ("billing_address_postal_code", ADDRESS_ROW),
    ("billing_address_phone", ADDRESS_ROW),
    ("billing_address_country_code_iso", ADDRESS_ROW),
    ("shipping_address_first_name", ADDRESS_ROW),
    ("shipping_address_last_name", ADDRESS_ROW),
    ("shipping_address_line1", ADDRESS_ROW),
    ("shipping_address_line2", ADDRESS_ROW),
    ("shipping_address_line3", ADDRESS_ROW),
    ("shipping_address_city", ADDRESS_ROW),
    ("shipping_address_state", ADDRESS_ROW),
    ("shipping_address_country", ADDRESS_ROW),
    ("shipping_address_postal_code", ADDRESS_ROW),
    ("shipping_address_phone", ADDRESS_ROW),
    ("shipping_address_country_code_iso", ADDRESS_ROW),
];

impl Gateway {
    /// The column of this gateway in [`MANDATORY_PARAMETERS`].
    const fn column(self) -> usize {
        match self {
            Self::Hdfc => 0,
            Self::Icici => 1,
            Self::Axis => 2,
            Self::PayU => 3,
            Self::Citrus => 4,
            Self::PayTm => 5,
            Self::Ebs => 6,
            Self::RazorPay => 7,
            Self::CcAvenue => 8,
        }
    }

    /// The table cell for `parameter` (a wire name); `None` for a parameter not in the table.
    pub fn requirement(self, parameter: &str) -> Option<Requirement> {
        MANDATORY_PARAMETERS
            .iter()
            .find(|(name, _)| *name == parameter)
            .and_then(|(_, row)| row.get(self.column()).copied())
    }

    /// The parameters this gateway requires ("Yes" cells), in table order.
    pub fn required_parameters(self) -> Vec<&'static str> {
        MANDATORY_PARAMETERS
            .iter()
            .filter(|(_, row)| row.get(self.column()).is_some_and(|r| r.is_required()))
            .map(|(name, _)| *name)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_follow_all() {
        for (i, g) in Gateway::ALL.iter().enumerate() {
            assert_eq!(g.column(), i);
            assert_eq!(Gateway::from_wire(g.as_str()), Some(*g));
        }
        assert_eq!(
            Gateway::Hdfc.required_parameters(),
            ["order_id", "amount", "customer_id", "customer_email"]
        );
        assert_eq!(Gateway::Ebs.required_parameters().len(), 6 + 22);
    }
}
