//! Communities and tiers from the same file as the contacts, as a CRM export gives them:
//! with a `tier` column, a community the list does not know yet is created on that tier
//! (a tier the list does not know is created too), and a known community whose tier
//! differs moves to it; a `time_zone` column sets the community's time zone. Every row
//! that names a community must agree with the first row that did.
use super::{key, quoted};
use crate::local_time::Zone;
use std::collections::HashMap;

use crate::distribution::contacts::directory::MAX_TIER_CHARS;

/// A community as stored: its name, tier and time zone ("" for the team's).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExistingCommunity {
    pub name: String,
    pub tier: String,
    pub time_zone: String,
}

/// A community the import creates or changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedCommunity {
    /// The name as the file (first) spells it, or as stored for a known one.
    pub name: String,
    /// The tier as stored, or as the file spells a new one.
    pub tier: String,
    /// An IANA name, or "" for the team's.
    pub time_zone: String,
    /// The line that first named it.
    pub line: usize,
}

/// The communities and tiers a file creates or changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommunityPlan {
    /// Tiers the file names that do not exist yet, as first spelled.
    pub new_tiers: Vec<String>,
    pub created: Vec<PlannedCommunity>,
    /// Known communities whose tier or time zone the file changes.
    pub changed: Vec<PlannedCommunity>,
}

impl CommunityPlan {
    pub fn is_empty(&self) -> bool {
        self.new_tiers.is_empty() && self.created.is_empty() && self.changed.is_empty()
    }
}

/// What one row said about its community, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Said {
    tier: Option<String>,
    time_zone: Option<String>,
    line: usize,
}

/// Reads rows' community cells against what exists, remembering what each row said.
pub(super) struct CommunityPlanner<'a> {
    known: HashMap<String, &'a ExistingCommunity>,
    tiers: HashMap<String, String>,
    new_tiers: Vec<(String, String)>,
    said: HashMap<String, (String, Said)>,
    order: Vec<String>,
}

impl<'a> CommunityPlanner<'a> {
    pub(super) fn new(communities: &'a [ExistingCommunity], tiers: &[String]) -> Self {
        Self {
            known: communities.iter().map(|c| (key(&c.name), c)).collect(),
            tiers: tiers.iter().map(|t| (key(t), t.clone())).collect(),
            new_tiers: Vec::new(),
            said: HashMap::new(),
            order: Vec::new(),
        }
    }

    /// Checks a row's tier and time zone cells for `community` (a name already checked
    /// to be clean and non-empty). Returns the community's name as it will be stored.
    pub(super) fn read(
        &mut self,
        line: usize,
        community: &str,
        tier: Option<&str>,
        time_zone: Option<&str>,
    ) -> Result<String, Vec<String>> {
        let mut problems = Vec::new();
        let tier = tier.map(str::trim).filter(|t| !t.is_empty());
        let tier = match tier.map(|t| self.read_tier(t)) {
            Some(Ok(tier)) => Some(tier),
            Some(Err(problem)) => {
                problems.push(problem);
                None
            }
            None => None,
        };
        let time_zone = match time_zone.map(str::trim).filter(|z| !z.is_empty()) {
            Some(name) => match Zone::parse(name) {
                Ok(zone) => Some(zone.name().to_string()),
                Err(problem) => {
                    problems.push(problem);
                    None
                }
            },
            None => None,
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        let community_key = key(community);
        let said = Said {
            tier,
            time_zone,
            line,
        };
        if let Some((_, first)) = self.said.get(&community_key) {
            let disagree = |mine: &Option<String>, theirs: &Option<String>| matches!((mine, theirs), (Some(a), Some(b)) if key(a) != key(b));
            if disagree(&said.tier, &first.tier) || disagree(&said.time_zone, &first.time_zone) {
                return Err(vec![format!(
                    "Line {} gives {} another tier or time zone; each community may have one.",
                    first.line,
                    quoted(community)
                )]);
            }
            let stored = self.said[&community_key].0.clone();
            return Ok(stored);
        }
        let name = match self.known.get(&community_key) {
            Some(existing) => existing.name.clone(),
            None if said.tier.is_some() => community.to_string(),
            None => return Err(Vec::new()),
        };
        self.order.push(community_key.clone());
        self.said.insert(community_key, (name.clone(), said));
        Ok(name)
    }

    /// A tier's stored spelling, or a new tier (remembered, first spelling kept).
    fn read_tier(&mut self, raw: &str) -> Result<String, String> {
        if raw.chars().count() > MAX_TIER_CHARS || raw.chars().any(char::is_control) {
            return Err(format!(
                "A tier's name is one line of at most {MAX_TIER_CHARS} characters."
            ));
        }
        let tier_key = key(raw);
        if let Some(stored) = self.tiers.get(&tier_key) {
            return Ok(stored.clone());
        }
        self.tiers.insert(tier_key.clone(), raw.to_string());
        self.new_tiers.push((tier_key, raw.to_string()));
        Ok(raw.to_string())
    }

    /// The communities and tiers the accepted rows create or change. New tiers named only
    /// by rejected rows are left out: nothing refers to them.
    pub(super) fn plan(self) -> CommunityPlan {
        let mut plan = CommunityPlan::default();
        let mut used_tiers = std::collections::HashSet::new();
        for community_key in &self.order {
            let (name, said) = &self.said[community_key];
            match self.known.get(community_key) {
                Some(existing) => {
                    let tier = said.tier.clone().unwrap_or_else(|| existing.tier.clone());
                    let time_zone = said
                        .time_zone
                        .clone()
                        .unwrap_or_else(|| existing.time_zone.clone());
                    if key(&tier) != key(&existing.tier) || time_zone != existing.time_zone {
                        used_tiers.insert(key(&tier));
                        plan.changed.push(PlannedCommunity {
                            name: name.clone(),
                            tier,
                            time_zone,
                            line: said.line,
                        });
                    }
                }
                None => {
                    let tier = said.tier.clone().unwrap_or_default();
                    used_tiers.insert(key(&tier));
                    plan.created.push(PlannedCommunity {
                        name: name.clone(),
                        tier,
                        time_zone: said.time_zone.clone().unwrap_or_default(),
                        line: said.line,
                    });
                }
            }
        }
        plan.new_tiers = self
            .new_tiers
            .into_iter()
            .filter(|(tier_key, _)| used_tiers.contains(tier_key))
            .map(|(_, name)| name)
            .collect();
        plan
    }
}
