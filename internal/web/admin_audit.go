package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"souk/internal/audit"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/text"
)

// The audit log's search, for admins: who changed what and when, newest
// first, each change shown as the fields it changed (the before and after
// records compared here, field by field).

// auditPerPage is how many entries a page of the log shows.
const auditPerPage = 50

// auditEntities are the kinds of record the log names (audit.Record's
// entity argument in the domain packages), offered as suggestions.
var auditEntities = []string{"vendor"}

type auditFilters struct {
	Entity, EntityID, Actor, Action, Text, From, To formField
}

func (f *auditFilters) fields() []*formField {
	return []*formField{&f.Entity, &f.EntityID, &f.Actor, &f.Action, &f.Text, &f.From, &f.To}
}

// fieldChange is one field a change touched: "" for a value it did not have.
type fieldChange struct{ Field, Old, New string }

type auditRow struct {
	ID                                 int64
	When, Who, Action, Entity, LinkURL string
	Changes                            []fieldChange
}

type auditData struct {
	Filters      auditFilters
	Problems     []problem
	Entities     []string
	Rows         []auditRow
	Older, Newer string
}

// readAuditFilters reads the log's filters from q; what is not understood
// is named and left out.
func readAuditFilters(loc string, q url.Values) (audit.Filter, auditFilters, []problem) {
	t := func(key string) string { return i18n.T(loc, key, nil) }
	field := func(name, label, typ string) formField {
		return formField{ID: "audit-" + name, Name: name, Label: label, Type: typ, Value: strings.TrimSpace(q.Get(name))}
	}
	d := auditFilters{
		Entity:   field("entity", t("console.audit.entity"), "text"),
		EntityID: field("entity_id", t("console.audit.entity_id"), "text"),
		Actor:    field("actor", t("console.audit.actor"), "text"),
		Action:   field("action", t("console.audit.action"), "text"),
		Text:     field("q", t("console.audit.text"), "search"),
		From:     field("from", t("console.vendors.from"), "date"),
		To:       field("to", t("console.vendors.to"), "date"),
	}
	d.Action.Help, d.Action.Dir, d.Entity.Dir, d.EntityID.Dir, d.Actor.Dir = t("console.audit.action_help"), "ltr", "ltr", "ltr", "ltr"
	d.Actor.Help, d.Actor.Inputs, d.From.Dir, d.To.Dir = t("console.audit.actor_help"), "numeric", "ltr", "ltr"
	f := audit.Filter{Entity: d.Entity.Value, EntityID: d.EntityID.Value, Text: d.Text.Value, Limit: auditPerPage + 1}
	bad := map[string]string{}
	if v := d.Actor.Value; v != "" {
		if id, err := strconv.ParseInt(strings.TrimPrefix(v, "#"), 10, 64); err == nil && id > 0 {
			f.ActorID = id
		} else {
			bad["actor"] = "field.integer"
		}
	}
	if a := d.Action.Value; a != "" {
		if !strings.Contains(a, ".") {
			a += "." // "vendor": every vendor action
		}
		f.Action = a
	}
	f.From, f.To = dayRange(d.From.Value, d.To.Value, bad)
	for _, ff := range []*formField{&d.Entity, &d.EntityID, &d.Action, &d.Text} {
		if p := text.Check(ff.Value, false, 200); p != "" {
			bad[ff.Name] = p
		}
	}
	if _, ok := bad["entity"]; ok {
		f.Entity = ""
	}
	if _, ok := bad["entity_id"]; ok {
		f.EntityID = ""
	}
	if _, ok := bad["action"]; ok {
		f.Action = ""
	}
	if _, ok := bad["q"]; ok {
		f.Text = ""
	}
	if b, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil && b > 0 {
		f.BeforeID = b
	}
	return f, d, fieldProblems(loc, bad, d.fields())
}

func (s *Server) auditLog(w http.ResponseWriter, r *http.Request, c bo) error {
	if s.Audit == nil {
		return errs.NotFoundE("page")
	}
	q := r.URL.Query()
	f, filters, problems := readAuditFilters(c.Loc, q)
	entries, err := s.Audit.List(r.Context(), c.User, f)
	if err != nil {
		return err
	}
	d := auditData{Filters: filters, Problems: problems, Entities: auditEntities}
	keep := url.Values{}
	for _, ff := range filters.fields() {
		if ff.Value != "" {
			keep.Set(ff.Name, ff.Value)
		}
	}
	if len(entries) > auditPerPage {
		entries = entries[:auditPerPage]
		older := url.Values{}
		for k, v := range keep {
			older[k] = v
		}
		older.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		d.Older = "/admin/audit?" + older.Encode()
	}
	if f.BeforeID > 0 {
		d.Newer = "/admin/audit"
		if len(keep) > 0 {
			d.Newer += "?" + keep.Encode()
		}
	}
	who := s.actorNames(r.Context(), c.Loc)
	for _, e := range entries {
		row := auditRow{ID: e.ID, When: when(e.At), Who: who(e.ActorID, e.ActorRole), Action: e.Action,
			Entity: e.Entity + " " + e.EntityID, Changes: auditChanges(e.Before, e.After)}
		if e.Entity == "vendor" {
			if _, err := strconv.ParseInt(e.EntityID, 10, 64); err == nil {
				row.LinkURL = "/admin/vendors/" + e.EntityID
			}
		}
		d.Rows = append(d.Rows, row)
	}
	return s.renderBO(w, r, c, http.StatusOK, "admin_audit", i18n.T(c.Loc, "console.nav_audit", nil), d)
}

// auditChanges compares a change's before and after records field by
// field (nested objects as dotted paths: texts.fr.display_name) and lists
// the fields whose value differs, in name order.
func auditChanges(before, after json.RawMessage) []fieldChange {
	b, a := map[string]string{}, map[string]string{}
	flattenJSON(b, "", before)
	flattenJSON(a, "", after)
	var keys []string
	for k := range b {
		keys = append(keys, k)
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []fieldChange
	for _, k := range keys {
		if b[k] != a[k] {
			out = append(out, fieldChange{Field: k, Old: b[k], New: a[k]})
		}
	}
	return out
}

// flattenJSON puts the leaves of a JSON value in out under their dotted
// paths: strings as they are, null as "", other values (numbers, lists)
// as compact JSON. A value that is not an object is one field, "".
func flattenJSON(out map[string]string, path string, raw json.RawMessage) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return
	}
	var obj map[string]json.RawMessage
	if raw[0] == '{' && json.Unmarshal(raw, &obj) == nil {
		for k, v := range obj {
			p := k
			if path != "" {
				p = path + "." + k
			}
			flattenJSON(out, p, v)
		}
		return
	}
	var s string
	switch {
	case string(raw) == "null":
		out[path] = ""
	case json.Unmarshal(raw, &s) == nil:
		out[path] = s
	default:
		var buf bytes.Buffer
		if json.Compact(&buf, raw) == nil {
			out[path] = buf.String()
		} else {
			out[path] = string(raw)
		}
	}
}
