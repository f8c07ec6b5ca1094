//! Which breakdown scores to hide so that no group of fewer than the small-group minimum
//! can be read, directly or by subtracting visible figures from their totals.
//!
//! The answers fall into atoms: each community's, plus those of people in no community.
//! A visible figure is the sum over a set of atoms: the overall score (every atom), a
//! tier (its communities), a community (itself). From these an observer can work out the
//! answers of the hidden atoms of each visible tier together (the tier minus its visible
//! communities), and of everything hidden outside visible tiers together (the overall
//! minus the visible tiers and the visible communities of hidden tiers). Each of those
//! derivable groups must hold no answers or at least the minimum; when one does not, the
//! smallest visible figure that closes the gap is hidden too, until all hold.

/// One community's answers and the tier (an index into the tiers) it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Atom {
    pub tier: usize,
    pub answered: i64,
}

/// What to hide: per tier, per community, and the overall score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hidden {
    pub tiers: Vec<bool>,
    pub communities: Vec<bool>,
    pub overall: bool,
}

/// `tiers` is the number of tiers; `unplaced` the answers of people in no community.
pub fn hidden(tiers: usize, communities: &[Atom], unplaced: i64, min: i64) -> Hidden {
    let tier_answers = |t: usize| -> i64 {
        communities
            .iter()
            .filter(|c| c.tier == t)
            .map(|c| c.answered)
            .sum()
    };
    let mut hide = Hidden {
        tiers: (0..tiers).map(|t| tier_answers(t) < min).collect(),
        communities: communities.iter().map(|c| c.answered < min).collect(),
        overall: false,
    };
    let gap = |mass: i64| mass > 0 && mass < min;
    loop {
        let mut changed = false;
        // The hidden communities of each visible tier, worked out as the tier minus the
        // visible ones.
        for t in 0..tiers {
            if hide.tiers[t] {
                continue;
            }
            let mass: i64 = communities
                .iter()
                .enumerate()
                .filter(|(i, c)| c.tier == t && hide.communities[*i])
                .map(|(_, c)| c.answered)
                .sum();
            if gap(mass) {
                match smallest_visible(communities, &hide, |c| c.tier == t) {
                    Some(i) => hide.communities[i] = true,
                    None => hide.tiers[t] = true,
                }
                changed = true;
            }
        }
        // Everything hidden outside the visible tiers, worked out from the overall.
        if !hide.overall {
            let mass: i64 = unplaced
                + communities
                    .iter()
                    .enumerate()
                    .filter(|(i, c)| hide.tiers[c.tier] && hide.communities[*i])
                    .map(|(_, c)| c.answered)
                    .sum::<i64>();
            if gap(mass) {
                if let Some(i) = smallest_visible(communities, &hide, |c| hide.tiers[c.tier]) {
                    hide.communities[i] = true;
                } else if let Some(i) = smallest_visible(communities, &hide, |_| true) {
                    // Hiding a community of a visible tier and that tier moves the
                    // community's answers (at least the minimum) into this group.
                    hide.communities[i] = true;
                    hide.tiers[communities[i].tier] = true;
                } else if let Some(t) = (0..tiers)
                    .filter(|t| !hide.tiers[*t] && tier_answers(*t) > 0)
                    .min_by_key(|t| tier_answers(*t))
                {
                    hide.tiers[t] = true;
                } else {
                    hide.overall = true;
                }
                changed = true;
            }
        }
        if !changed {
            return hide;
        }
    }
}

/// Which cells of a one-way breakdown (answers by language) to hide, when the total of all
/// cells is shown elsewhere: each cell with some but fewer than `min` answers, and then the
/// smallest visible cells until the hidden cells together hold none or at least `min`,
/// so that the total minus the visible cells gives no small group away. When even hiding
/// every cell with answers leaves fewer than `min` hidden, the empty cells are hidden too:
/// a visible 0 beside them would say where those few answers are.
pub fn hidden_cells(counts: &[i64], min: i64) -> Vec<bool> {
    let mut hide: Vec<bool> = counts.iter().map(|&n| n > 0 && n < min).collect();
    loop {
        let mass: i64 = counts
            .iter()
            .zip(&hide)
            .filter(|(_, h)| **h)
            .map(|(n, _)| n)
            .sum();
        if mass == 0 || mass >= min {
            return hide;
        }
        let smallest = (0..counts.len())
            .filter(|&i| !hide[i] && counts[i] > 0)
            .min_by_key(|&i| counts[i]);
        match smallest {
            Some(i) => hide[i] = true,
            // Every cell with answers is hidden and still too few: hide them all.
            None => return vec![true; counts.len()],
        }
    }
}

/// The visible community with the fewest (but some) answers among those `within` takes.
fn smallest_visible(
    communities: &[Atom],
    hide: &Hidden,
    within: impl Fn(&Atom) -> bool,
) -> Option<usize> {
    communities
        .iter()
        .enumerate()
        .filter(|(i, c)| !hide.communities[*i] && c.answered > 0 && within(c))
        .min_by_key(|(_, c)| c.answered)
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_small_language_hides_the_next_smallest_too() {
        // 2 German answers alone would be the total minus the rest.
        assert_eq!(hidden_cells(&[40, 2, 9], 5), [false, true, true]);
        assert_eq!(hidden_cells(&[40, 2, 3], 5), [false, true, true]);
        assert_eq!(hidden_cells(&[40, 0, 9], 5), [false, false, false]);
        assert_eq!(hidden_cells(&[3], 5), [true]);
        // One answer in all: a 0 beside it would say which language it is.
        assert_eq!(hidden_cells(&[0, 0, 1], 3), [true, true, true]);
        assert_eq!(hidden_cells(&[0, 0, 0], 3), [false, false, false]);
        assert_eq!(hidden_cells(&[], 5), Vec::<bool>::new());
    }

    fn atoms(list: &[(usize, i64)]) -> Vec<Atom> {
        list.iter()
            .map(|&(tier, answered)| Atom { tier, answered })
            .collect()
    }

    /// Every set of atoms an observer can isolate with sums and differences of visible
    /// figures (coefficients -1, 0, 1), as each atom's coefficient.
    fn derivable(tiers: usize, communities: &[Atom], hide: &Hidden) -> Vec<Vec<i64>> {
        let n = communities.len() + 1; // the last atom: people in no community
        let mut figures: Vec<Vec<i64>> = Vec::new();
        if !hide.overall {
            figures.push(vec![1; n]);
        }
        for t in (0..tiers).filter(|t| !hide.tiers[*t]) {
            figures.push(
                (0..n)
                    .map(|i| i64::from(i < communities.len() && communities[i].tier == t))
                    .collect(),
            );
        }
        for i in (0..communities.len()).filter(|i| !hide.communities[*i]) {
            figures.push((0..n).map(|j| i64::from(j == i)).collect());
        }
        let mut found = Vec::new();
        let combinations = 3usize.pow(figures.len() as u32);
        for mut code in 0..combinations {
            let mut sum = vec![0; n];
            for figure in &figures {
                let coefficient = (code % 3) as i64 - 1;
                code /= 3;
                for (s, f) in sum.iter_mut().zip(figure) {
                    *s += coefficient * f;
                }
            }
            if sum.iter().all(|c| *c == 0 || *c == 1) {
                found.push(sum);
            }
        }
        found
    }

    /// The attack: every derivable set of atoms holds no answers or at least `min`.
    fn no_small_group_derivable(tiers: usize, list: &[(usize, i64)], unplaced: i64, min: i64) {
        let communities = atoms(list);
        let hide = hidden(tiers, &communities, unplaced, min);
        let answers: Vec<i64> = communities
            .iter()
            .map(|c| c.answered)
            .chain([unplaced])
            .collect();
        for set in derivable(tiers, &communities, &hide) {
            let mass: i64 = set.iter().zip(&answers).map(|(c, a)| c * a).sum();
            assert!(
                mass == 0 || mass >= min,
                "{list:?} + {unplaced} unplaced: hiding {hide:?} still lets {set:?} ({mass} answers) be worked out"
            );
        }
    }

    #[test]
    fn a_hidden_tier_cannot_be_worked_out_from_the_overall_and_the_visible_tiers() {
        // Overall 12; tiers 2, 4, 6: without a second hidden tier, 12 - 4 - 6 = 2.
        no_small_group_derivable(3, &[(0, 2), (1, 4), (2, 6)], 0, 3);
        let hide = hidden(3, &atoms(&[(0, 2), (1, 4), (2, 6)]), 0, 3);
        assert_eq!(hide.tiers, [true, true, false]);
    }

    #[test]
    fn a_hidden_community_cannot_be_worked_out_from_its_tier_and_its_siblings() {
        no_small_group_derivable(1, &[(0, 2), (0, 5), (0, 9)], 0, 3);
        let hide = hidden(1, &atoms(&[(0, 2), (0, 5), (0, 9)]), 0, 3);
        assert_eq!(hide.communities, [true, true, false]);
    }

    #[test]
    fn people_in_no_community_cannot_be_worked_out_from_the_overall() {
        no_small_group_derivable(2, &[(0, 5), (0, 4), (1, 6)], 1, 3);
    }

    #[test]
    fn across_tiers_and_communities_nothing_small_is_ever_derivable() {
        // Every layout of communities on tiers (up to five on one tier, four on two, three
        // on three) with 0, 1, 2 or 5 answers each, and 0 to 2 people in no community.
        let sizes = [0, 1, 2, 5];
        for (tiers, most) in [(1usize, 5usize), (2, 4), (3, 3)] {
            for size in 1..=most {
                let cells = tiers * sizes.len();
                for mut code in 0..cells.pow(size as u32) {
                    let mut list = Vec::new();
                    for _ in 0..size {
                        let cell = code % cells;
                        code /= cells;
                        list.push((cell % tiers, sizes[cell / tiers]));
                    }
                    for unplaced in 0..=2 {
                        no_small_group_derivable(tiers, &list, unplaced, 3);
                    }
                }
            }
        }
    }

    #[test]
    fn large_groups_stay_visible() {
        let hide = hidden(2, &atoms(&[(0, 5), (0, 4), (1, 6)]), 0, 3);
        assert_eq!(
            hide,
            Hidden {
                tiers: vec![false, false],
                communities: vec![false, false, false],
                overall: false
            }
        );
    }
}
