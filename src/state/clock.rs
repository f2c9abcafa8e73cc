//! Simulated time on the page: the [`Clock`] that maps wall time to simulated time, and the actions that
//! move or reshape it (`Tick`, `SetPlaying`, `SetSpeed`, `Step`, `SetSkip`), with "skip animations".

use super::{AppState, Change};
use sim::{Event, SimTime};

/// The speeds the clock offers.
pub const SPEEDS: [u32; 3] = [1, 10, 100];

/// Most iterations "skip animations" runs before giving up (a provider that keeps rescheduling).
const SETTLE_LIMIT: usize = 100_000;

/// Maps wall time to simulated time: `sim = anchor_sim + (wall − anchor_wall) × rate` while playing.
#[derive(Clone, Debug, PartialEq)]
pub struct Clock {
    /// Whether simulated time is flowing.
    pub playing: bool,
    /// The speed the clock bar shows and the clock runs at (1, 10 or 100); following a server whose
    /// speed is another, the nearest one.
    pub speed: u32,
    /// Jump straight to the end of every transition.
    pub skip: bool,
    /// A followed server's exact speed, which the mapping uses instead of `speed`.
    server_rate: Option<f64>,
    anchor_sim: SimTime,
    anchor_wall: f64,
}

impl Clock {
    /// A clock standing at `now`.
    pub fn new(now: SimTime, wall: f64, playing: bool, speed: u32, skip: bool) -> Self {
        let speed = if SPEEDS.contains(&speed) { speed } else { 10 };
        Clock { playing, speed, skip, server_rate: None, anchor_sim: now, anchor_wall: wall }
    }

    /// The clock of a page following a server: at `now` from `wall` on, running at the server's `rate`
    /// (paused at 0), the clock bar showing `shown`.
    pub fn following(now: SimTime, wall: f64, rate: f64, shown: u32) -> Self {
        let rate = if rate.is_finite() && rate > 0.0 { rate } else { 0.0 };
        let mut clock = Clock::new(now, if wall.is_finite() { wall } else { 0.0 }, rate > 0.0, shown, false);
        clock.server_rate = Some(rate);
        clock
    }

    /// Simulated milliseconds per wall millisecond while playing.
    pub fn rate(&self) -> f64 {
        self.server_rate.unwrap_or(f64::from(self.speed))
    }

    /// Simulated time at wall time `wall`.
    pub fn sim_at(&self, wall: f64) -> SimTime {
        if !self.playing || !wall.is_finite() {
            return self.anchor_sim;
        }
        let elapsed = (wall - self.anchor_wall).max(0.0) * self.rate();
        self.anchor_sim.plus_millis(elapsed.min(1e15) as u64)
    }

    /// Changes whenever the wall → sim mapping jumps (play, pause, speed, step); stable while time just flows.
    /// (The wall anchor and the rate are written by their bits: no float formatting in the page.)
    pub fn epoch(&self) -> String {
        let wall = self.anchor_wall.to_bits();
        let rate = self.rate().to_bits();
        format!("{}-{rate:x}-{}-{wall:x}", self.playing, self.anchor_sim.as_millis())
    }

    /// The simulated time the clock was last anchored at (where a paused clock stands).
    pub(super) fn anchor(&self) -> SimTime {
        self.anchor_sim
    }

    pub(super) fn reanchor(&mut self, sim: SimTime, wall: f64) {
        self.anchor_sim = sim;
        self.anchor_wall = if wall.is_finite() { wall } else { 0.0 };
    }
}

impl AppState {
    /// `Tick`: fires the transitions due by `wall`; nothing to do when none is.
    pub(super) fn tick(&mut self, wall: f64) -> Change {
        if self.sim.next_due().is_none_or(|due| due > self.clock.sim_at(wall)) {
            return Change::Nothing;
        }
        let events = self.sync(wall);
        self.refresh_servers(&events);
        Change::Saved
    }

    /// `SetPlaying`: pauses or plays from the time shown at `wall`.
    pub(super) fn set_playing(&mut self, wall: f64, playing: bool) -> Change {
        self.sync(wall);
        self.hold_time(wall);
        self.clock.playing = playing;
        self.refresh_fleet();
        Change::Saved
    }

    /// `SetSpeed`: one of [`SPEEDS`] from the time shown at `wall`; any other speed is ignored.
    pub(super) fn set_speed(&mut self, wall: f64, speed: u32) -> Change {
        if !SPEEDS.contains(&speed) {
            return Change::Nothing;
        }
        self.sync(wall);
        self.hold_time(wall);
        self.clock.speed = speed;
        self.refresh_fleet();
        Change::Saved
    }

    /// `Step`: jumps to the next transition's completion (a toast says so when none is scheduled).
    pub(super) fn step(&mut self, wall: f64) -> Change {
        self.sync(wall);
        let events = self.sim_mut().step();
        if events.is_empty() && self.sim.next_due().is_none() {
            self.toast("Nothing is in transition: no state change is scheduled.");
        }
        self.push_events(events);
        self.clock.reanchor(self.sim.now(), wall);
        self.refresh_fleet();
        Change::Saved
    }

    /// `SetSkip`: "skip animations" on or off (on completes what is in transition now).
    pub(super) fn set_skip(&mut self, wall: f64, skip: bool) -> Change {
        self.sync(wall);
        self.clock.skip = skip;
        self.settle(wall);
        self.refresh_fleet();
        Change::Saved
    }

    /// Moves the simulation to the clock's time at `wall`; returns the state changes that fired.
    pub(super) fn sync(&mut self, wall: f64) -> Vec<Event> {
        let t = self.clock.sim_at(wall);
        let mut events = Vec::new();
        if t > self.sim.now() {
            events = self.sim_mut().advance_to(t);
            self.push_events(events.clone());
        }
        // No re-anchoring: the mapping stays the same while time just flows, so progress animations that
        // were started from it need not restart.
        events
    }

    /// Re-anchors the clock at the time it shows at `wall`, before its speed or play state changes: the
    /// mapping `anchor + (wall − anchor_wall) × speed` would otherwise count a pause as elapsed time on
    /// resuming, and rescale all time since the anchor when the speed changes.
    fn hold_time(&mut self, wall: f64) {
        let now = self.now_at(wall);
        self.clock.reanchor(now, wall);
    }

    /// With "skip animations" on, completes every pending transition now.
    pub(super) fn settle(&mut self, wall: f64) {
        if !self.clock.skip {
            return;
        }
        let mut n = 0;
        while let Some(due) = self.sim.next_due() {
            let events = self.sim_mut().advance_to(due);
            self.push_events(events);
            n += 1;
            if n >= SETTLE_LIMIT {
                break;
            }
        }
        self.clock.reanchor(self.sim.now(), wall);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Action;

    #[test]
    fn clock_maps_wall_to_sim_time() {
        let mut c = Clock::new(SimTime(1000), 50.0, true, 10, false);
        assert_eq!(c.sim_at(150.0), SimTime(2000));
        assert_eq!(c.sim_at(10.0), SimTime(1000));
        c.playing = false;
        assert_eq!(c.sim_at(1e9), SimTime(1000));
        assert_eq!(Clock::new(SimTime(0), 0.0, true, 7, false).speed, 10);
        assert_eq!(Clock::new(SimTime(0), 0.0, true, 1, false).sim_at(f64::NAN), SimTime(0));
    }

    #[test]
    fn pausing_and_changing_speed_keep_the_time_shown() {
        let mut s = AppState::builtin(0.0);
        // 10× from wall 0: at wall 100 ms the page shows T+1 s. Pause there for ten wall seconds.
        s.apply(Action::SetPlaying { wall: 100.0, playing: false });
        assert_eq!(s.now_at(10_100.0), SimTime(1_000));
        // Play again: time goes on from T+1 s, it does not jump by the paused wall time.
        s.apply(Action::SetPlaying { wall: 10_100.0, playing: true });
        assert_eq!(s.now_at(10_100.0), SimTime(1_000));
        assert_eq!(s.now_at(10_200.0), SimTime(2_000));
        // 100× from wall 10,200: only what follows the change runs faster.
        s.apply(Action::SetSpeed { wall: 10_200.0, speed: 100 });
        assert_eq!(s.now_at(10_200.0), SimTime(2_000));
        assert_eq!(s.now_at(10_210.0), SimTime(3_000));
        // And back to 1×: no step back in time.
        s.apply(Action::SetSpeed { wall: 10_210.0, speed: 1 });
        assert_eq!(s.now_at(10_210.0), SimTime(3_000));
        assert_eq!(s.now_at(11_210.0), SimTime(4_000));
    }

    #[test]
    fn speed_and_pause() {
        let mut s = AppState::builtin(0.0);
        assert!(s.apply(Action::SetSpeed { wall: 0.0, speed: 100 }));
        assert!(!s.apply(Action::SetSpeed { wall: 0.0, speed: 3 }));
        s.apply(Action::SetPlaying { wall: 100.0, playing: false });
        assert_eq!(s.now_at(100.0), SimTime(10_000));
        assert_eq!(s.now_at(1e6), SimTime(10_000));
    }
}
