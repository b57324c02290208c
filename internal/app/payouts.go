package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"souk/internal/auth"
	"souk/internal/payout"
)

const payoutsUsage = `usage:
  souk payouts run [--json] [--file PATH]       pay every vendor what is due; --file writes the bank transfer file
  souk payouts confirm --batch SOUK-B00012       the bank made every transfer of a batch still sent
  souk payouts confirm --payout SOUK-P000123     the bank made one transfer
  souk payouts fail --payout SOUK-P000123 --reason "account closed"   a transfer came back`

// payouts runs `souk payouts …` on the database souk serve uses. The
// machine acts (auth.User{}), as the schedule does.
func payouts(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(payoutsUsage)
	}
	var cfg Config
	var asJSON bool
	var file, batch, ref, reason string
	fs := newFlagSet("payouts "+args[0], "Pays vendors what is due (run), or records what the bank did with the transfers (confirm, fail).\n\n"+payoutsUsage, stderr)
	fs.databaseFlags(&cfg)
	switch args[0] {
	case "run":
		fs.boolean(&asJSON, "json", "", false, "print the report as JSON")
		fs.str(&file, "file", "", "", "write the batch's bank transfer file (CSV) here")
	case "confirm":
		fs.str(&batch, "batch", "", "", "a batch number, SOUK-B…: confirm every transfer still sent")
		fs.str(&ref, "payout", "", "", "a transfer reference, SOUK-P…")
	case "fail":
		fs.str(&ref, "payout", "", "", "a transfer reference, SOUK-P…")
		fs.str(&reason, "reason", "", "", "why the bank sent it back (told to the vendor)")
	default:
		return errors.New(payoutsUsage)
	}
	log, err := fs.parseLogged(args[1:], &cfg, stderr)
	if err != nil {
		return err
	}
	a, err := Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	machine := auth.User{}
	switch args[0] {
	case "run":
		r, err := a.Payouts.Run(ctx, machine, payout.RunOptions{Source: payout.Command})
		if err != nil {
			return describe(err)
		}
		if file != "" && r.BatchID != 0 {
			_, body, err := a.Payouts.BankFile(ctx, machine, r.BatchID)
			if err != nil {
				return err
			}
			if err := os.WriteFile(file, body, 0o600); err != nil {
				return fmt.Errorf("bank file: %w", err)
			}
		}
		if asJSON {
			b, _ := json.MarshalIndent(r, "", "  ")
			fmt.Fprintln(stdout, string(b))
			return nil
		}
		printRun(stdout, r, file)
	case "confirm":
		switch id, ok := payout.ParseBatchNumber(batch); {
		case ok && ref == "":
			n, err := a.Payouts.ConfirmBatch(ctx, machine, id)
			if err != nil {
				return describe(err)
			}
			fmt.Fprintf(stdout, "%s: %d transfer(s) confirmed\n", payout.BatchNumber(id), n)
			return nil
		case batch != "":
			return fmt.Errorf("--batch: %q is not a batch number like SOUK-B00012 (give --batch or --payout, not both)", batch)
		}
		fallthrough
	case "fail":
		id, ok := payout.ParseReference(ref)
		if !ok {
			return fmt.Errorf("--payout: %q is not a transfer reference like SOUK-P000123", ref)
		}
		var p payout.Payout
		if args[0] == "confirm" {
			p, err = a.Payouts.Confirm(ctx, machine, id)
		} else {
			p, err = a.Payouts.Fail(ctx, machine, id, reason)
		}
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "%s: %s %s to %s\n", p.Reference, p.Status, p.Amount, p.Beneficiary)
	}
	return nil
}

// printRun says what a run did, for people.
func printRun(w io.Writer, r payout.Report, file string) {
	if r.BatchID == 0 {
		fmt.Fprintln(w, "nothing due: no vendor paid")
	} else {
		totals := make([]string, len(r.Totals))
		for i, t := range r.Totals {
			totals[i] = t.String()
		}
		if len(totals) == 0 {
			totals = []string{"0"}
		}
		fmt.Fprintf(w, "%s: %d vendor(s) paid, %s\n", r.Batch, len(r.Paid), strings.Join(totals, " + "))
		for _, p := range r.Paid {
			fmt.Fprintf(w, "  %s  %14s  %s  %s\n", p.Reference, p.Amount, p.RIB, p.Beneficiary)
		}
		if file != "" {
			fmt.Fprintln(w, "bank transfer file:", file)
		}
	}
	for _, h := range r.Held {
		why := "no valid RIB"
		if h.Reason == payout.HeldNotApproved {
			why = "vendor not approved"
		}
		fmt.Fprintf(w, "held: %s, %s due (%s)\n", h.Name, h.Amount, why)
	}
	for _, o := range r.Owing {
		fmt.Fprintf(w, "owes back: %s, %s (refunds after a payout; later sales pay it)\n", o.Name, o.Amount)
	}
}
