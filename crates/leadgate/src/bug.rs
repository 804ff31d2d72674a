//! A panic inside leadgate, as every front reports it.

use std::any::Any;

/// The text a front shows for a panic inside leadgate (a bug in leadgate,
/// never in the agreement or the leads): the panic's message — its payload,
/// a `&str` or a `String` — said to be a bug. Python raises it as a
/// `LeadgateError`, JavaScript throws it as an `Error`.
///
/// ```
/// let payload = std::panic::catch_unwind(|| panic!("a slot out of range")).unwrap_err();
/// assert_eq!(
///     leadgate::internal_error(payload.as_ref()),
///     "internal error in leadgate: a slot out of range (this is a bug in leadgate; please report it)"
/// );
/// ```
pub fn internal_error(payload: &(dyn Any + Send)) -> String {
    let message = (payload.downcast_ref::<&str>().copied())
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic without a message");
    format!("internal error in leadgate: {message} (this is a bug in leadgate; please report it)")
}
