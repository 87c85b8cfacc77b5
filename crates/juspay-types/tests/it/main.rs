//! Integration tests of juspay-types.
