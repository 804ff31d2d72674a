//! What an agreement declares, as data: its name, fields, scores, grades
//! and route rules in one serialisable description, for fronts that hand
//! it to their own language (Python dicts, JS objects) rather than read it
//! item by item.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::Agreement;

/// What an agreement declares (see [`Agreement::info`]). Serialises as
/// `{name, version, uses_time, fingerprint, fields, scores, grades, routes}`,
/// `grades` as an object of each grade's labels in declaration order.
#[derive(Debug, Clone, Serialize)]
pub struct AgreementInfo<'a> {
    /// `agreement "NAME"`.
    pub name: &'a str,
    /// `version "V"`, if given.
    pub version: Option<&'a str>,
    /// Whether decisions depend on the instant they are made at.
    pub uses_time: bool,
    /// The agreement's fingerprint ([`Agreement::fingerprint`]).
    pub fingerprint: &'a str,
    /// The declared fields, in order.
    pub fields: Vec<FieldInfo<'a>>,
    /// The scores' names, in order.
    pub scores: Vec<&'a str>,
    /// Each grade's name and labels, in order.
    #[serde(serialize_with = "as_map")]
    pub grades: Vec<(&'a str, &'a [String])>,
    /// The route rules, in order.
    pub routes: Vec<RouteInfo<'a>>,
}

/// A declared field.
#[derive(Debug, Clone, Serialize)]
pub struct FieldInfo<'a> {
    /// Its name.
    pub name: &'a str,
    /// Its type: `text`, `number`, `bool`, `date` or `list`.
    #[serde(rename = "type")]
    pub ty: &'a str,
    /// The input key it reads (its name unless `from "…"`).
    pub key: &'a str,
    /// Whether a lead without it is rejected.
    pub required: bool,
    /// Whether it is the lead's id.
    pub id: bool,
}

/// A route rule.
#[derive(Debug, Clone, Serialize)]
pub struct RouteInfo<'a> {
    /// `sales`, `nurture` or `telemarketing`.
    pub route: &'a str,
    /// The queue it names, if any.
    pub queue: Option<&'a str>,
    /// Its name, if any.
    pub rule: Option<&'a str>,
    /// The agreed follow-up time in seconds, if any.
    pub follow_up_within_s: Option<i64>,
}

fn as_map<S: Serializer>(pairs: &[(&str, &[String])], s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(pairs.len()))?;
    for (k, v) in pairs {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

impl Agreement {
    /// What the agreement declares, as one serialisable description.
    ///
    /// ```
    /// let a = leadgate::Agreement::compile(
    ///     "agreement \"a\"\nfields { size : number required }\nscore s { +1 \"big\" when size > 9 }\nroute { nurture otherwise }\n",
    /// )?;
    /// let info = a.info();
    /// assert_eq!(info.fields[0].name, "size");
    /// assert_eq!(info.routes[0].route, "nurture");
    /// # Ok::<(), leadgate::CompileError>(())
    /// ```
    pub fn info(&self) -> AgreementInfo<'_> {
        AgreementInfo {
            name: self.name(),
            version: self.version(),
            uses_time: self.uses_time(),
            fingerprint: self.fingerprint(),
            fields: (self.fields().iter())
                .map(|f| FieldInfo {
                    name: f.name(),
                    ty: f.field_type().as_str(),
                    key: f.key(),
                    required: f.is_required(),
                    id: f.is_id(),
                })
                .collect(),
            scores: self.scores().iter().map(|s| s.name()).collect(),
            grades: (self.grades().iter())
                .map(|g| (g.name(), g.labels()))
                .collect(),
            routes: (self.routes().iter())
                .map(|r| RouteInfo {
                    route: r.destination().as_str(),
                    queue: r.queue(),
                    rule: r.name(),
                    follow_up_within_s: r.within_s(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    #[test]
    fn info_serialises_grades_as_an_object_in_order() {
        let a = crate::Agreement::compile(
            "agreement \"a\"\nversion \"2\"\nfields {\n  size : number from \"Company Size\"\n}\nscore s { +10 \"big\" when size > 9 }\ngrade g {\n  b when s >= 5\n  a otherwise\n}\nroute {\n  sales queue \"emea\" within 4h \"hot\" when s >= 10\n  nurture otherwise\n}\n",
        )
        .unwrap();
        let json = serde_json::to_string(&a.info()).unwrap();
        assert!(
            json.starts_with(
                "{\"name\":\"a\",\"version\":\"2\",\"uses_time\":false,\"fingerprint\":\""
            ),
            "{json}"
        );
        assert!(json.ends_with(",\"fields\":[{\"name\":\"size\",\"type\":\"number\",\"key\":\"Company Size\",\"required\":false,\"id\":false}],\"scores\":[\"s\"],\"grades\":{\"g\":[\"b\",\"a\"]},\"routes\":[{\"route\":\"sales\",\"queue\":\"emea\",\"rule\":\"hot\",\"follow_up_within_s\":14400},{\"route\":\"nurture\",\"queue\":null,\"rule\":null,\"follow_up_within_s\":null}]}"), "{json}");
    }
}
