//! The gateway validator against the mandatory-parameter table, cell by cell.

use juspay_types::gateway::MANDATORY_PARAMETERS;
use juspay_types::{
    Amount, CreateOrderRequest, CustomerId, Email, Error, Gateway, OrderId, Phone, Problem,
    Requirement,
};

/// The mandatory-parameter table, copied verbatim from Juspay's order documentation (v3.2; header and
/// rows run together).
const DOCUMENTED_TABLE: &str = "\
ParameterHDFCICICIAxisPayUCitrusPayTMEBSRazorPayCCAvenue
order_idYesYesYesYesYesYesYesYesYes
amountYesYesYesYesYesYesYesYesYes
customer_idYesYesYesYesYesYesYesYesYes
customer_emailYesYesYesYesYesYesYesYesYes
customer_phoneOptionalOptionalOptionalYesYesYesYesYesYes
descriptionOptionalOptionalYesYesYesYesYesYesYes
product_idNoNoNoNoNoNoNoNoNo
billing_address_first_nameNoNoNoOptionalOptionalNoYesNoYes
billing_address_last_nameNoNoNoOptionalOptionalNoYesNoYes
billing_address_line1NoNoNoOptionalOptionalNoYesNoYes
billing_address_line2NoNoNoOptionalOptionalNoYesNoYes
billing_address_line3NoNoNoOptionalOptionalNoYesNoYes
billing_address_cityNoNoNoOptionalOptionalNoYesNoYes
billing_address_stateNoNoNoOptionalOptionalNoYesNoYes
billing_address_countryNoNoNoOptionalOptionalNoYesNoYes
billing_address_postal_codeNoNoNoOptionalOptionalNoYesNoYes
billing_address_phoneNoNoNoOptionalOptionalNoYesNoYes
billing_address_country_code_isoNoNoNoOptionalOptionalNoYesNoYes
shipping_address_first_nameNoNoNoOptionalOptionalNoYesNoYes
shipping_address_last_nameNoNoNoOptionalOptionalNoYesNoYes
shipping_address_line1NoNoNoOptionalOptionalNoYesNoYes
shipping_address_line2NoNoNoOptionalOptionalNoYesNoYes
shipping_address_line3NoNoNoOptionalOptionalNoYesNoYes
shipping_address_cityNoNoNoOptionalOptionalNoYesNoYes
shipping_address_stateNoNoNoOptionalOptionalNoYesNoYes
shipping_address_countryNoNoNoOptionalOptionalNoYesNoYes
shipping_address_postal_codeNoNoNoOptionalOptionalNoYesNoYes
shipping_address_phoneNoNoNoOptionalOptionalNoYesNoYes
shipping_address_country_code_isoNoNoNoOptionalOptionalNoYesNoYes";

/// Splits a run-together row into its parameter name and its nine cells.
fn parse_row(row: &str) -> (&str, Vec<Requirement>) {
    let mut rest = row;
    let mut cells = Vec::new();
    // Cells are read from the end: the parameter names never end in Yes/No/Optional.
    loop {
        if let Some(r) = rest.strip_suffix("Optional") {
            cells.push(Requirement::Optional);
            rest = r;
        } else if let Some(r) = rest.strip_suffix("Yes") {
            cells.push(Requirement::Yes);
            rest = r;
        } else if let Some(r) = rest.strip_suffix("No") {
            cells.push(Requirement::No);
            rest = r;
        } else {
            break;
        }
    }
    cells.reverse();
    (rest, cells)
}

fn table_rows() -> Vec<(&'static str, Vec<Requirement>)> {
    let mut lines = DOCUMENTED_TABLE.lines();
    let header = lines.next().unwrap();
    let columns: String = Gateway::ALL.iter().map(|g| g.as_str()).collect();
    assert_eq!(
        header,
        format!("Parameter{columns}"),
        "column order of the table"
    );
    lines.map(parse_row).collect()
}

/// An order with every parameter of the table set.
fn full_order() -> CreateOrderRequest {
    let address = |p: &str| {
        let line = |n: u8| format!("{p}line{n}");
        crate::bengaluru_address(
            &format!("{p}first"),
            &format!("{p}last"),
            [&line(1), &line(2), &line(3)],
        )
    };
    CreateOrderRequest::builder()
        .order_id(OrderId::new("ord_007").unwrap())
        .amount(Amount::parse("10.00").unwrap())
        .customer_id(CustomerId::new("guest_user_101").unwrap())
        .customer_email(Email::new("test@mail.com").unwrap())
        .customer_phone(Phone::new("9988665522").unwrap())
        .description("Order Info")
        .product_id("pid")
        .billing_address(address("b"))
        .shipping_address(address("s"))
        .build()
}

/// The full order without one parameter (removed through the form body).
fn order_without(parameter: &str) -> CreateOrderRequest {
    let pairs: Vec<(String, String)> = full_order()
        .to_form_pairs()
        .into_iter()
        .filter(|(k, _)| k != parameter)
        .collect();
    CreateOrderRequest::from_form_pairs(&pairs).unwrap()
}

#[test]
fn table_matches_the_documentation_cell_by_cell() {
    let rows = table_rows();
    assert_eq!(rows.len(), 29);
    assert_eq!(rows.len(), MANDATORY_PARAMETERS.len());
    for ((name, cells), (encoded_name, encoded)) in rows.iter().zip(MANDATORY_PARAMETERS) {
        assert_eq!(name, encoded_name);
        assert_eq!(cells.len(), 9, "{name}");
        for (gateway, cell) in Gateway::ALL.iter().zip(cells) {
            assert_eq!(gateway.requirement(name), Some(*cell), "{name} / {gateway}");
            assert_eq!(
                encoded[gateway_index(*gateway)],
                *cell,
                "{name} / {gateway}"
            );
        }
    }
    assert_eq!(Gateway::Hdfc.requirement("return_url"), None);
}

fn gateway_index(g: Gateway) -> usize {
    Gateway::ALL.iter().position(|x| *x == g).unwrap()
}

#[test]
fn validator_matches_the_documentation_cell_by_cell() {
    let full = full_order();
    for gateway in Gateway::ALL {
        assert_eq!(
            full.missing_for_gateway(gateway),
            Vec::<&str>::new(),
            "{gateway}"
        );
        full.check_for_gateway(gateway).unwrap();
    }
    for (name, cells) in table_rows() {
        if name == "order_id" || name == "amount" {
            // Required at compile time by the builder: never missing.
            assert!(cells.iter().all(|c| *c == Requirement::Yes));
            continue;
        }
        let order = order_without(name);
        for (gateway, cell) in Gateway::ALL.iter().zip(&cells) {
            let missing = order.missing_for_gateway(*gateway);
            if *cell == Requirement::Yes {
                assert_eq!(missing, vec![name], "{name} / {gateway}");
            } else {
                assert!(missing.is_empty(), "{name} / {gateway}: {missing:?}");
            }
        }
    }
}

#[test]
fn reports_every_missing_field() {
    let bare = CreateOrderRequest::builder()
        .order_id(OrderId::new("ord_1").unwrap())
        .amount(Amount::from_minor_units(100))
        .build();
    let missing = bare.missing_for_gateway(Gateway::Ebs);
    assert_eq!(missing.len(), 4 + 22);
    assert_eq!(
        &missing[..4],
        [
            "customer_id",
            "customer_email",
            "customer_phone",
            "description"
        ]
    );
    let err = bare.check_for_gateway(Gateway::Ebs).unwrap_err();
    let fields = err.field_errors();
    assert_eq!(fields.len(), 26);
    assert!(
        fields
            .iter()
            .all(|f| f.problem == Problem::RequiredByGateway(Gateway::Ebs))
    );
    assert!(matches!(err, Error::InvalidFields(_)));
    assert!(
        err.to_string()
            .starts_with("26 invalid field(s): `customer_id`: required by gateway EBS")
    );
}

#[test]
fn empty_values_count_as_missing_except_the_guest_customer() {
    let order = CreateOrderRequest::builder()
        .order_id(OrderId::new("ord_1").unwrap())
        .amount(Amount::from_minor_units(100))
        .customer_id(CustomerId::guest())
        .customer_email(Email::new("a@b.co").unwrap())
        .description("")
        .build();
    assert_eq!(order.missing_for_gateway(Gateway::Hdfc), Vec::<&str>::new());
    assert_eq!(
        order.missing_for_gateway(Gateway::Axis),
        vec!["description"]
    );
}
