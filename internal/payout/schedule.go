package payout

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"souk/internal/auth"
	"souk/internal/ledger"
)

// Times is the schedule of payout runs: times of day on Casablanca's
// clocks, in minutes after midnight, sorted. Empty: no scheduled runs.
type Times []int

// ParseTimes reads "10:00" or "09:00,15:30"; "" and "off" turn the
// schedule off.
func ParseTimes(s string) (Times, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "off" {
		return nil, nil
	}
	var out Times
	for _, f := range strings.Split(s, ",") {
		t, err := time.Parse("15:04", strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("payout time %q: want HH:MM on Casablanca's clocks, e.g. 10:00", strings.TrimSpace(f))
		}
		m := t.Hour()*60 + t.Minute()
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return out, nil
}

// String writes the times back as "09:00,15:30".
func (ts Times) String() string {
	parts := make([]string, len(ts))
	for i, m := range ts {
		parts[i] = fmt.Sprintf("%02d:%02d", m/60, m%60)
	}
	return strings.Join(parts, ",")
}

// Slot is the latest scheduled time at or before now, named on
// Casablanca's clocks ("2026-12-01 10:00"), and false without a schedule.
func (ts Times) Slot(now time.Time) (string, bool) {
	if len(ts) == 0 {
		return "", false
	}
	l := now.In(ledger.Casablanca)
	for day := 0; day < 2; day++ {
		d := l.AddDate(0, 0, -day)
		for i := len(ts) - 1; i >= 0; i-- {
			at := time.Date(d.Year(), d.Month(), d.Day(), ts[i]/60, ts[i]%60, 0, 0, ledger.Casablanca)
			if !at.After(l) {
				return at.Format("2006-01-02 15:04"), true
			}
		}
	}
	return "", false // unreachable: yesterday's last time is always before now
}

// RunSchedule runs the scheduled payouts until ctx ends, checking every
// interval whether the latest slot has run (on any node) and running it if
// not: a node that was down at 10:00 pays at start-up. Every node may run
// it; a slot makes one batch.
func (s *Service) RunSchedule(ctx context.Context, ts Times, interval time.Duration, log *slog.Logger) {
	if len(ts) == 0 {
		return
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	last := ""
	for {
		if slot, ok := ts.Slot(s.now()); ok && slot != last {
			r, err := s.Run(ctx, auth.User{}, RunOptions{Source: Schedule, Slot: slot})
			switch {
			case ctx.Err() != nil:
				return
			case err != nil:
				log.Error("scheduled payout run failed", "slot", slot, "err", err)
			default:
				last = slot
				if !r.AlreadyRan {
					log.Info("scheduled payout run", "slot", slot, "batch", r.Batch, "paid", len(r.Paid), "held", len(r.Held),
						"totals", fmt.Sprint(r.Totals))
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
