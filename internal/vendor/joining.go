package vendor

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/notify"
	"souk/internal/text"
)

// Application is what the public form sends: the vendor's details, the
// applicant's language and the documents that prove them.
type Application struct {
	Input
	Locale    string
	Documents []Upload
}

// Joining sets where applications' documents are kept and the address the
// e-mails link to (the storefront's base URL).
func (s *Service) Joining(docs DocumentStore, baseURL string) {
	s.docs, s.baseURL = docs, strings.TrimRight(baseURL, "/")
}

// Apply records an application: the vendor exists with status applied
// (the public cannot see it until an operator approves it), its documents
// are stored, and the applicant is told by e-mail, in their language, that
// it arrived. An application needs an e-mail: it is where the answer goes.
func (s *Service) Apply(ctx context.Context, app Application) (Vendor, error) {
	explicitSlug := strings.TrimSpace(app.Slug) != ""
	f := errs.Fields{}
	if err := app.clean(); err != nil {
		var e *errs.Error
		if !errors.As(err, &e) {
			return Vendor{}, err
		}
		for k, v := range e.Fields {
			f.Add(k, v)
		}
	}
	if app.Email == "" {
		f.Add("email", "field.required")
	}
	if !i18n.Valid(app.Locale) {
		app.Locale = i18n.Default
	}
	docs := checkUploads(app.Documents, f)
	if err := f.Err(); err != nil {
		return Vendor{}, err
	}
	if len(docs) > 0 && s.docs == nil {
		return Vendor{}, errors.New("apply: no document store configured")
	}
	for i, d := range docs { // bytes first: a row never names a missing file
		if err := s.docs.Put(ctx, d.SHA256, app.Documents[i].Data); err != nil {
			return Vendor{}, fmt.Errorf("apply: store document: %w", err)
		}
	}
	now := s.now().UTC()
	var id int64
	err := s.db.Tx(ctx, func(tx db.Querier) error {
		var err error
		if id, err = insertVendor(ctx, tx, app.Input, explicitSlug, Applied, app.Locale, now); err != nil {
			return err
		}
		for _, d := range docs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO vendor_documents (vendor_id, kind, filename, content_type, size_bytes, sha256, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, id, d.Kind, d.Filename, d.ContentType, d.Size, d.SHA256, now); err != nil {
				return err
			}
		}
		if err := addEvent(ctx, tx, id, "applied", "", Applied, "", auth.User{}, now); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, auth.User{}, "vendor.apply", "vendor", id, nil, app.Input, now); err != nil {
			return err
		}
		return s.mail(ctx, tx, id, app.Email, app.Locale, "received", map[string]any{"name": app.LegalName}, now)
	})
	if err != nil {
		return Vendor{}, fmt.Errorf("apply: %w", err)
	}
	return s.ByID(ctx, id)
}

// Decision is what an operator decides about an application.
type Decision struct {
	Action Action
	Note   string // the reason of a rejection, the question of a request for information
}

// Action is a step an operator takes on a vendor.
type Action string

// The operator's actions.
const (
	Approve   Action = "approve"
	Reject    Action = "reject"
	AskInfo   Action = "ask_info"
	Suspend   Action = "suspend"
	Reinstate Action = "reinstate"
)

// transitions says from which status each action may be taken, and where
// it leads.
var transitions = map[Action]struct {
	from []Status
	to   Status
}{
	Approve:   {[]Status{Applied}, Approved},
	Reject:    {[]Status{Applied}, Rejected},
	AskInfo:   {[]Status{Applied}, Applied},
	Suspend:   {[]Status{Approved}, Suspended},
	Reinstate: {[]Status{Suspended}, Approved},
}

// Review takes an operator's decision on a vendor, in one transaction: the
// status changes (only from a status the action applies to: deciding twice
// is a conflict, not a second e-mail), the history and the audit log record
// it, and the applicant is told by e-mail in their language. Approval also
// creates the vendor's owner account, with no password and a one-time link
// to choose one. A rejection and a request for information need a note.
func (s *Service) Review(ctx context.Context, by auth.User, id int64, d Decision) (Vendor, error) {
	if !by.IsOperator() {
		return Vendor{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	t, ok := transitions[d.Action]
	if !ok {
		return Vendor{}, errs.Fields{"action": "field.enum"}.Err()
	}
	d.Note = text.Clean(d.Note)
	if p := text.Check(d.Note, d.Action == Reject || d.Action == AskInfo, 2000); p != "" {
		return Vendor{}, errs.Fields{"note": p}.Err()
	}
	cur, err := s.ByID(ctx, id)
	if err != nil {
		return Vendor{}, err
	}
	now := s.now().UTC()
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		var asked any // info_requested_at after the action
		if d.Action == AskInfo {
			asked = now
		}
		var approvedAt any
		if t.to == Approved {
			approvedAt = now
		}
		note := cur.ReviewNote
		if d.Action == Reject || d.Action == AskInfo {
			note = d.Note
		}
		res, err := tx.ExecContext(ctx, `UPDATE vendors SET status = ?, review_note = ?, info_requested_at = ?, updated_at = ?,
			approved_at = COALESCE(approved_at, ?)
			WHERE id = ? AND status IN (`+db.Placeholders(len(t.from))+`)`,
			append([]any{t.to, note, asked, now, approvedAt, id}, statusArgs(t.from)...)...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return &errs.Error{Code: errs.Conflict, Message: "vendor.cannot_" + string(d.Action), Args: map[string]any{"status": string(cur.Status)}}
		}
		if err := addEvent(ctx, tx, id, d.Action, cur.Status, t.to, d.Note, by, now); err != nil {
			return err
		}
		after := map[string]any{"status": t.to, "note": d.Note}
		if err := audit.Record(ctx, tx, by, "vendor."+string(d.Action), "vendor", id, map[string]any{"status": cur.Status}, after, now); err != nil {
			return err
		}
		args := map[string]any{"name": cur.LegalName, "note": d.Note}
		switch d.Action {
		case Approve:
			if cur.ApprovedAt != nil {
				break // approved before (then suspended and reinstated): the owner exists
			}
			owner, token, err := auth.Invite(ctx, tx, auth.NewUser{Email: cur.Email, Name: cur.ContactName,
				Role: auth.RoleVendorOwner, VendorID: id, Locale: cur.Locale}, now)
			if err != nil {
				return err
			}
			args["link"] = s.SetPasswordURL(owner.Locale, token)
		case Reinstate:
			return nil
		}
		return s.mail(ctx, tx, id, cur.Email, cur.Locale, string(d.Action), args, now)
	})
	if err != nil {
		return Vendor{}, fmt.Errorf("review vendor %d: %w", id, err)
	}
	return s.ByID(ctx, id)
}

// ReviewMany takes one decision on many vendors, each in its own
// transaction: one that cannot be decided (already decided, say) does not
// stop the others. It returns each vendor's error (nil when done), by id.
func (s *Service) ReviewMany(ctx context.Context, by auth.User, ids []int64, d Decision) (map[int64]error, error) {
	if !by.IsOperator() {
		return nil, errs.E(errs.Forbidden, "error.forbidden")
	}
	if len(ids) == 0 || len(ids) > 200 {
		return nil, errs.Fields{"ids": "field.bulk_count"}.Err()
	}
	out := make(map[int64]error, len(ids))
	for _, id := range ids {
		_, err := s.Review(ctx, by, id, d)
		if err != nil && !errs.Is(err, errs.Conflict) && !errs.Is(err, errs.NotFound) && !errs.Is(err, errs.Invalid) {
			return out, err
		}
		out[id] = err
	}
	return out, nil
}

// SetPasswordURL is the one-time link an approved vendor's owner follows.
func (s *Service) SetPasswordURL(locale, token string) string {
	return s.baseURL + "/" + locale + "/account/set-password?token=" + url.QueryEscape(token)
}

func statusArgs(ss []Status) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// Event is one step of a vendor's history with the operator.
type Event struct {
	Action  Action    `json:"action"`
	From    Status    `json:"from,omitempty"`
	To      Status    `json:"to"`
	Note    string    `json:"note,omitempty"`
	ActorID int64     `json:"actor_id,omitempty"`
	At      time.Time `json:"at"`
}

func addEvent(ctx context.Context, tx db.Querier, vendorID int64, action Action, from, to Status, note string, by auth.User, at time.Time) error {
	var actor any
	if by.ID != 0 {
		actor = by.ID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO vendor_events (vendor_id, action, from_status, to_status, note, actor_user_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, vendorID, action, from, to, note, actor, at)
	return err
}

// History is a vendor's steps with the operator, oldest first: operators
// and the vendor's own users.
func (s *Service) History(ctx context.Context, by auth.User, id int64) ([]Event, error) {
	v, err := s.Get(ctx, by, fmt.Sprint(id))
	if err != nil {
		return nil, err
	}
	if !CanSeePrivate(by, v) {
		return nil, errs.E(errs.Forbidden, "error.forbidden")
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT action, from_status, to_status, note, COALESCE(actor_user_id, 0), created_at
		FROM vendor_events WHERE vendor_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("vendor history: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.Action, &e.From, &e.To, &e.Note, &e.ActorID, &e.At); err != nil {
			return nil, fmt.Errorf("vendor history: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Documents lists a vendor's documents: operators and the vendor's own users.
func (s *Service) Documents(ctx context.Context, by auth.User, id int64) ([]Document, error) {
	v, err := s.Get(ctx, by, fmt.Sprint(id))
	if err != nil {
		return nil, err
	}
	if !CanSeePrivate(by, v) {
		return nil, errs.NotFoundE("vendor")
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT id, vendor_id, kind, filename, content_type, size_bytes, sha256, created_at
		FROM vendor_documents WHERE vendor_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("vendor documents: %w", err)
	}
	defer rows.Close()
	var out []Document
	for rows.Next() {
		var d Document
		if err := rows.Scan(&d.ID, &d.VendorID, &d.Kind, &d.Filename, &d.ContentType, &d.Size, &d.SHA256, &d.CreatedAt); err != nil {
			return nil, fmt.Errorf("vendor documents: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Document returns one of a vendor's documents with its bytes, for those
// who may see the vendor's private details; others get errs.NotFound.
func (s *Service) Document(ctx context.Context, by auth.User, vendorID, docID int64) (Document, []byte, error) {
	docs, err := s.Documents(ctx, by, vendorID)
	if err != nil {
		return Document{}, nil, err
	}
	for _, d := range docs {
		if d.ID == docID {
			if s.docs == nil {
				return Document{}, nil, errs.NotFoundE("document")
			}
			b, err := s.docs.Get(ctx, d.SHA256)
			return d, b, err
		}
	}
	return Document{}, nil, errs.NotFoundE("document")
}

// mail queues the e-mail about an application (received, approve, reject,
// ask_info, suspend) in the transaction of the change: sent if and only if
// the change commits, once.
func (s *Service) mail(ctx context.Context, tx db.Querier, id int64, to, locale, event string, args map[string]any, now time.Time) error {
	if to == "" {
		return nil // vendors created by operators without an e-mail
	}
	body := i18n.T(locale, "mail.vendor."+event+".body", args)
	return notify.Enqueue(ctx, tx, now, notify.Message{
		Key:     fmt.Sprintf("vendor:%d:%s:%d", id, event, now.UnixNano()),
		To:      to,
		Subject: i18n.T(locale, "mail.vendor."+event+".subject", args),
		Text:    i18n.T(locale, "mail.greeting", args) + "\n\n" + body + "\n",
	})
}

// MoveTo brings a vendor to status as the operator's matching decision
// would (Review): applied → approved is an approval (the owner is invited),
// applied → rejected a rejection, approved → suspended a suspension,
// suspended → approved a reinstatement. Asking for the status the vendor
// already has changes nothing; any other move is a conflict.
func (s *Service) MoveTo(ctx context.Context, by auth.User, id int64, to Status, note string) (Vendor, error) {
	if !by.IsOperator() {
		return Vendor{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	if !to.Valid() {
		return Vendor{}, errs.Fields{"status": "field.enum"}.Err()
	}
	cur, err := s.ByID(ctx, id)
	if err != nil {
		return Vendor{}, err
	}
	if cur.Status == to {
		return cur, nil
	}
	for action, t := range transitions {
		if t.to == to && t.to != cur.Status && slices.Contains(t.from, cur.Status) {
			return s.Review(ctx, by, id, Decision{Action: action, Note: note})
		}
	}
	return Vendor{}, &errs.Error{Code: errs.Conflict, Message: "vendor.cannot_move", Args: map[string]any{"status": string(cur.Status)}}
}
