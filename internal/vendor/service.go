package vendor

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"souk/internal/audit"
	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/i18n"
)

// Service reads and changes vendors.
type Service struct {
	db      *db.DB
	now     func() time.Time
	docs    DocumentStore // applications' documents (see Joining)
	baseURL string        // what e-mails link to
}

// NewService returns a Service on d; now is the clock (nil for time.Now).
func NewService(d *db.DB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: d, now: now}
}

// Create adds a vendor directly with a status, for operators (and the demo
// marketplace, which passes an operator). Others get errs.Forbidden.
func (s *Service) Create(ctx context.Context, by auth.User, in Input, status Status) (Vendor, error) {
	if !by.IsOperator() {
		return Vendor{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	if !status.Valid() {
		return Vendor{}, errs.Fields{"status": "field.enum"}.Err()
	}
	return s.create(ctx, in, status)
}

func (s *Service) create(ctx context.Context, in Input, status Status) (Vendor, error) {
	explicitSlug := strings.TrimSpace(in.Slug) != ""
	if err := in.clean(); err != nil {
		return Vendor{}, err
	}
	now := s.now().UTC()
	var id int64
	err := s.db.Tx(ctx, func(tx db.Querier) error {
		var err error
		id, err = insertVendor(ctx, tx, in, explicitSlug, status, i18n.Default, now)
		return err
	})
	if err != nil {
		return Vendor{}, fmt.Errorf("create vendor: %w", err)
	}
	return s.ByID(ctx, id)
}

// insertVendor writes a cleaned Input as a new vendor in tx.
func insertVendor(ctx context.Context, tx db.Querier, in Input, explicitSlug bool, status Status, locale string, now time.Time) (int64, error) {
	slug, err := freeSlug(ctx, tx, in.Slug, explicitSlug)
	if err != nil {
		return 0, err
	}
	var approvedAt *time.Time
	if status == Approved {
		approvedAt = &now
	}
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO vendors
		(slug, kind, legal_name, region, city, cooperative_number, ice, contact_name, email, phone, rib,
		 status, locale, created_at, updated_at, approved_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		slug, in.Kind, in.LegalName, in.Region, in.City, in.CooperativeNumber, in.ICE, in.ContactName,
		in.Email, in.Phone, in.RIB, status, locale, now, now, approvedAt).Scan(&id)
	if err != nil {
		return 0, mapWriteErr(err)
	}
	return id, writeTexts(ctx, tx, id, in.Texts)
}

// freeSlug returns slug if unused. A slug the user chose must be free
// (errs.Conflict otherwise); a derived one gets the first free "-N" suffix.
func freeSlug(ctx context.Context, q db.Querier, slug string, explicit bool) (string, error) {
	rows, err := q.QueryContext(ctx, `SELECT slug FROM vendors WHERE slug = ? OR slug LIKE ?`, slug, slug+"-%")
	if err != nil {
		return "", err
	}
	defer rows.Close()
	taken := map[string]bool{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return "", err
		}
		taken[s] = true
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	if !taken[slug] {
		return slug, nil
	}
	if explicit {
		return "", &errs.Error{Code: errs.Conflict, Message: "error.conflict", Fields: map[string]string{"slug": "field.taken"}}
	}
	for n := 2; ; n++ {
		if c := slug + "-" + strconv.Itoa(n); !taken[c] {
			return c, nil
		}
	}
}

func writeTexts(ctx context.Context, tx db.Querier, id int64, texts map[string]Texts) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM vendor_texts WHERE vendor_id = ?`, id); err != nil {
		return err
	}
	for loc, t := range texts {
		if t.DisplayName == "" && t.Story == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO vendor_texts (vendor_id, locale, display_name, story) VALUES (?, ?, ?, ?)`,
			id, loc, t.DisplayName, t.Story); err != nil {
			return err
		}
	}
	return nil
}

func mapWriteErr(err error) error {
	switch {
	case db.IsUniqueViolation(err):
		return &errs.Error{Code: errs.Conflict, Message: "error.conflict", Fields: map[string]string{"slug": "field.taken"}, Err: err}
	case db.IsCheckViolation(err):
		return errs.Wrap(errs.Invalid, "error.invalid", err)
	}
	return err
}

// Update changes a vendor's details. Its own owner and operators may; the
// status is changed only through SetStatus. Others get errs.NotFound for
// vendors they cannot see and errs.Forbidden otherwise.
func (s *Service) Update(ctx context.Context, by auth.User, id int64, in Input) (Vendor, error) {
	cur, err := s.ByID(ctx, id)
	if err != nil {
		return Vendor{}, err
	}
	if !canEdit(by, cur) {
		return Vendor{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	if in.Slug == "" {
		in.Slug = cur.Slug
	}
	if err := in.clean(); err != nil {
		return Vendor{}, err
	}
	err = s.db.Tx(ctx, func(tx db.Querier) error {
		if in.Slug != cur.Slug {
			if _, err := freeSlug(ctx, tx, in.Slug, true); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE vendors SET slug = ?, kind = ?, legal_name = ?, region = ?, city = ?,
			cooperative_number = ?, ice = ?, contact_name = ?, email = ?, phone = ?, rib = ?, updated_at = ?
			WHERE id = ?`,
			in.Slug, in.Kind, in.LegalName, in.Region, in.City, in.CooperativeNumber, in.ICE, in.ContactName,
			in.Email, in.Phone, in.RIB, s.now().UTC(), id)
		if err != nil {
			return mapWriteErr(err)
		}
		if err := writeTexts(ctx, tx, id, in.Texts); err != nil {
			return err
		}
		return audit.Record(ctx, tx, by, "vendor.update", "vendor", id, inputOf(cur), in, s.now())
	})
	if err != nil {
		return Vendor{}, fmt.Errorf("update vendor %d: %w", id, err)
	}
	return s.ByID(ctx, id)
}

// SetStatus approves, suspends or rejects a vendor; operators only.
func (s *Service) SetStatus(ctx context.Context, by auth.User, id int64, status Status) (Vendor, error) {
	if !by.IsOperator() {
		return Vendor{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	if !status.Valid() {
		return Vendor{}, errs.Fields{"status": "field.enum"}.Err()
	}
	now := s.now().UTC()
	err := s.db.Tx(ctx, func(tx db.Querier) error {
		var from Status
		err := tx.QueryRowContext(ctx, `SELECT status FROM vendors WHERE id = ?`, id).Scan(&from)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.NotFoundE("vendor")
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE vendors SET status = ?, updated_at = ?,
			approved_at = CASE WHEN ? = 'approved' AND approved_at IS NULL THEN ? ELSE approved_at END
			WHERE id = ?`, status, now, status, now, id); err != nil {
			return err
		}
		if err := addEvent(ctx, tx, id, "set_status", from, status, "", by, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, by, "vendor.set_status", "vendor", id, map[string]any{"status": from}, map[string]any{"status": status}, now)
	})
	if err != nil {
		return Vendor{}, fmt.Errorf("set vendor %d status: %w", id, err)
	}
	return s.ByID(ctx, id)
}

// inputOf is v's details as an Input, for the audit log's "before".
func inputOf(v Vendor) Input {
	return Input{Slug: v.Slug, Kind: v.Kind, LegalName: v.LegalName, Texts: v.Texts, Region: v.Region, City: v.City,
		CooperativeNumber: v.CooperativeNumber, ICE: v.ICE, ContactName: v.ContactName, Email: v.Email, Phone: v.Phone, RIB: v.RIB}
}

func canEdit(by auth.User, v Vendor) bool {
	return by.IsOperator() || (by.Role == auth.RoleVendorOwner && by.VendorID == v.ID)
}

// CanSeePrivate reports whether by may see a vendor's bank account and
// registration details: operators and the vendor's own users.
func CanSeePrivate(by auth.User, v Vendor) bool {
	return by.IsOperator() || (by.IsVendorUser() && by.VendorID == v.ID)
}

// Visible reports whether by may see v at all: approved vendors are public;
// the others only to operators and their own users.
func Visible(by auth.User, v Vendor) bool {
	return v.Status == Approved || CanSeePrivate(by, v)
}

const vendorColumns = `id, slug, kind, legal_name, region, city, cooperative_number, ice, contact_name,
	email, phone, rib, status, locale, review_note, info_requested_at, created_at, updated_at, approved_at`

func scanVendor(row interface{ Scan(...any) error }) (Vendor, error) {
	var v Vendor
	var approved, asked sql.NullTime
	err := row.Scan(&v.ID, &v.Slug, &v.Kind, &v.LegalName, &v.Region, &v.City, &v.CooperativeNumber, &v.ICE,
		&v.ContactName, &v.Email, &v.Phone, &v.RIB, &v.Status, &v.Locale, &v.ReviewNote, &asked, &v.CreatedAt, &v.UpdatedAt, &approved)
	if approved.Valid {
		t := approved.Time
		v.ApprovedAt = &t
	}
	if asked.Valid {
		t := asked.Time
		v.InfoRequestedAt = &t
	}
	return v, err
}

// ByID returns the vendor with id, or errs.NotFound.
func (s *Service) ByID(ctx context.Context, id int64) (Vendor, error) {
	return s.one(ctx, `SELECT `+vendorColumns+` FROM vendors WHERE id = ?`, id)
}

// BySlug returns the vendor with slug, or errs.NotFound.
func (s *Service) BySlug(ctx context.Context, slug string) (Vendor, error) {
	return s.one(ctx, `SELECT `+vendorColumns+` FROM vendors WHERE slug = ?`, slug)
}

// Get finds a vendor by numeric id or by slug (slugs are never all digits).
// Vendors by may not see are errs.NotFound, as if they did not exist.
func (s *Service) Get(ctx context.Context, by auth.User, idOrSlug string) (Vendor, error) {
	var v Vendor
	var err error
	if id, perr := strconv.ParseInt(idOrSlug, 10, 64); perr == nil {
		v, err = s.ByID(ctx, id)
	} else {
		v, err = s.BySlug(ctx, idOrSlug)
	}
	if err != nil {
		return Vendor{}, err
	}
	if !Visible(by, v) {
		return Vendor{}, errs.NotFoundE("vendor")
	}
	return v, nil
}

func (s *Service) one(ctx context.Context, query string, arg any) (Vendor, error) {
	q := s.db.Read()
	v, err := scanVendor(q.QueryRowContext(ctx, query, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return Vendor{}, errs.NotFoundE("vendor")
	}
	if err != nil {
		return Vendor{}, fmt.Errorf("get vendor: %w", err)
	}
	texts, err := loadTexts(ctx, q, []int64{v.ID})
	if err != nil {
		return Vendor{}, err
	}
	v.Texts = texts[v.ID]
	return v, nil
}

// List returns a page of vendors matching f, oldest first (a review queue
// is worked from its oldest), and how many match in all. Only operators
// see vendors that are not approved.
func (s *Service) List(ctx context.Context, by auth.User, f Filter) ([]Vendor, int, error) {
	if f.Page < 1 {
		f.Page = 1
	}
	if f.PerPage < 1 || f.PerPage > 100 {
		f.PerPage = 20
	}
	var where []string
	var args []any
	switch {
	case !by.IsOperator() && f.Status != "" && f.Status != Approved:
		return nil, 0, &errs.Error{Code: errs.Forbidden, Message: "error.forbidden", Fields: map[string]string{"status": "field.status_operator_only"}}
	case !by.IsOperator():
		where, args = append(where, "status = ?"), append(args, Approved)
	case f.Status != "":
		where, args = append(where, "status = ?"), append(args, f.Status)
	}
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, f.Kind)
	}
	if f.Region != "" {
		where, args = append(where, "region = ?"), append(args, f.Region)
	}
	if !by.IsOperator() && (f.Waiting != nil || f.Query != "" || !f.From.IsZero() || !f.To.IsZero()) {
		return nil, 0, errs.E(errs.Forbidden, "error.forbidden")
	}
	if f.Waiting != nil && *f.Waiting {
		where = append(where, "info_requested_at IS NOT NULL")
	} else if f.Waiting != nil {
		where = append(where, "info_requested_at IS NULL")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		pattern := "%" + db.LikeEscape(strings.ToLower(q)) + "%"
		where = append(where, `(LOWER(legal_name) LIKE ? ESCAPE '\' OR email LIKE ? ESCAPE '\' OR cooperative_number LIKE ? ESCAPE '\'
			OR ice LIKE ? ESCAPE '\' OR EXISTS (SELECT 1 FROM vendor_texts t WHERE t.vendor_id = vendors.id AND LOWER(t.display_name) LIKE ? ESCAPE '\'))`)
		args = append(args, pattern, pattern, pattern, pattern, pattern)
	}
	if !f.From.IsZero() {
		where, args = append(where, "created_at >= ?"), append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		where, args = append(where, "created_at < ?"), append(args, f.To.UTC())
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	q := s.db.Read()
	var total int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM vendors`+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count vendors: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT `+vendorColumns+` FROM vendors`+cond+` ORDER BY id LIMIT ? OFFSET ?`,
		append(args, f.PerPage, (f.Page-1)*f.PerPage)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list vendors: %w", err)
	}
	defer rows.Close()
	var out []Vendor
	var ids []int64
	for rows.Next() {
		v, err := scanVendor(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list vendors: %w", err)
		}
		out = append(out, v)
		ids = append(ids, v.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list vendors: %w", err)
	}
	texts, err := loadTexts(ctx, q, ids)
	if err != nil {
		return nil, 0, err
	}
	for i := range out {
		out[i].Texts = texts[out[i].ID]
	}
	return out, total, nil
}

// loadTexts reads the per-locale texts of several vendors at once.
func loadTexts(ctx context.Context, q db.Querier, ids []int64) (map[int64]map[string]Texts, error) {
	out := make(map[int64]map[string]Texts, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := q.QueryContext(ctx, `SELECT vendor_id, locale, display_name, story FROM vendor_texts
		WHERE vendor_id IN (`+db.Placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("vendor texts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var loc string
		var t Texts
		if err := rows.Scan(&id, &loc, &t.DisplayName, &t.Story); err != nil {
			return nil, fmt.Errorf("vendor texts: %w", err)
		}
		if out[id] == nil {
			out[id] = map[string]Texts{}
		}
		out[id][loc] = t
	}
	return out, rows.Err()
}

// DisplayNames returns the display names, by locale, of the vendors ids:
// what a product grid prints under each product, in one query.
func (s *Service) DisplayNames(ctx context.Context, ids []int64) (map[int64]map[string]string, error) {
	out := make(map[int64]map[string]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	texts, err := loadTexts(ctx, s.db.Read(), ids)
	if err != nil {
		return nil, err
	}
	for id, ts := range texts {
		names := make(map[string]string, len(ts))
		for l, t := range ts {
			if t.DisplayName != "" {
				names[l] = t.DisplayName
			}
		}
		out[id] = names
	}
	return out, nil
}
