package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"

	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/morocco"
	"souk/internal/vendor"
)

// The public application form, /{locale}/sell: a cooperative, an artisan,
// an exporter or a publisher asks to sell on souk. vendor.Apply checks
// every field and document and writes everything in one transaction (or
// nothing); this page gathers the form and puts each problem next to its
// field, in the applicant's language, which is the page's.

const (
	// sellBodyLimit is the largest application read: ten documents at the
	// domain's limit and the rest of the form.
	sellBodyLimit = vendor.MaxDocuments*vendor.MaxDocumentBytes + 1<<20
	// sellMemory is how much of the files parsing keeps in memory; the
	// rest waits on disk until the request ends.
	sellMemory = 8 << 20
)

// selectField is a form field chosen from a list.
type selectField struct {
	formField
	Choices []choice
}

// docField is the file input of one kind of document: several files may
// be chosen, each may have its own problem.
type docField struct {
	formField
	Errors []string
	Again  bool // files were sent and refused: say they must be chosen again
}

// Describe is the input's aria-describedby: its help, its errors and the
// note that files are not kept.
func (f docField) Describe() string {
	ids := []string{f.ID + "-help"}
	if len(f.Errors) > 0 {
		ids = append(ids, f.ID+"-error")
	}
	if f.Again {
		ids = append(ids, "files-again")
	}
	return strings.Join(ids, " ")
}

type sellData struct {
	Sent                        bool // the thank-you state, after a good application
	Problems                    []problem
	Message                     string // the form could not be read at all (too large)
	FilesAgain                  bool
	Kind                        selectField
	LegalName                   formField
	Names                       []formField // the shop's name: in the page's language first, then Arabic and French
	Story                       formField
	Region                      selectField
	City                        formField
	Cities                      []string // suggestions, in the page's language
	ContactName, Email, Phone   formField
	CooperativeNumber, ICE, RIB formField
	Documents                   []docField
	DocumentsError              string // about all the documents together (too many)
}

// fields are the form's text fields and lists, in the order of the page:
// their names are vendor.Input's field names, so that the domain's
// problems find their field.
func (d *sellData) fields() []*formField {
	out := []*formField{&d.Kind.formField, &d.LegalName}
	for i := range d.Names {
		out = append(out, &d.Names[i])
	}
	return append(out, &d.Story, &d.Region.formField, &d.City, &d.ContactName, &d.Email, &d.Phone,
		&d.CooperativeNumber, &d.ICE, &d.RIB)
}

// nameLocales are the languages the form asks the shop's name in: the
// page's, then Arabic and French (the languages most customers read).
func nameLocales(loc string) []string {
	out := []string{loc}
	for _, l := range []string{"ar", "fr"} {
		if l != loc {
			out = append(out, l)
		}
	}
	return out
}

// fieldID is an element id for a field name ("texts.fr.story" →
// "texts-fr-story"): no dots, so that it is also a plain CSS selector.
func fieldID(name string) string { return strings.ReplaceAll(name, ".", "-") }

// newSellForm is the empty form in loc.
func newSellForm(loc string) sellData {
	t := func(key string) string { return i18n.T(loc, key, nil) }
	optional := func(key string) string { return t(key) + " " + t("sell.optional") }
	field := func(name, label, typ string) formField {
		return formField{ID: fieldID(name), Name: name, Label: label, Type: typ}
	}
	var d sellData

	d.Kind = selectField{formField: field("kind", t("sell.kind"), "")}
	d.Kind.Required = true
	d.Kind.Choices = []choice{{Value: "", Label: t("sell.kind_choose")}}
	for _, k := range vendor.Kinds {
		d.Kind.Choices = append(d.Kind.Choices, choice{Value: string(k), Label: t("sell.kind." + string(k))})
	}
	d.LegalName = field("legal_name", t("sell.legal_name"), "text")
	d.LegalName.Autocomplete, d.LegalName.Help, d.LegalName.Required = "organization", t("sell.legal_name_help"), true
	for i, l := range nameLocales(loc) {
		f := field("texts."+l+".display_name", t("sell.display_name"), "text")
		if i == 0 {
			f.Help, f.Required = t("sell.display_name_help"), true
		} else {
			f.Label, f.Dir = optional("sell.display_name_"+l), i18n.Dir(l)
		}
		d.Names = append(d.Names, f)
	}
	d.Story = field("texts."+loc+".story", optional("sell.story"), "")
	d.Story.Help = t("sell.story_help")

	d.Region = selectField{formField: field("region", t("sell.region"), "")}
	d.Region.Required = true
	d.Region.Choices = []choice{{Value: "", Label: t("sell.region_choose")}}
	for _, r := range morocco.Regions {
		name, ok := r.Names[loc]
		if !ok {
			name = r.Names["fr"]
		}
		d.Region.Choices = append(d.Region.Choices, choice{Value: r.Code, Label: name})
	}
	d.City = field("city", t("sell.city"), "text")
	d.City.Autocomplete, d.City.Help, d.City.Required = "address-level2", t("sell.city_help"), true
	for _, c := range morocco.CitiesSorted(loc) {
		d.Cities = append(d.Cities, c.Name(loc))
	}

	d.ContactName = field("contact_name", optional("account.name"), "text")
	d.ContactName.Autocomplete = "name"
	d.Email = field("email", t("account.email"), "email")
	d.Email.Autocomplete, d.Email.Dir, d.Email.Help, d.Email.Required = "email", "ltr", t("sell.email_help"), true
	d.Phone = field("phone", optional("shop.phone"), "tel")
	d.Phone.Autocomplete, d.Phone.Dir, d.Phone.Help = "tel", "ltr", t("sell.phone_help")

	d.CooperativeNumber = field("cooperative_number", t("sell.cooperative_number"), "text")
	d.CooperativeNumber.Dir, d.CooperativeNumber.Help = "ltr", t("sell.cooperative_number_help")
	d.ICE = field("ice", optional("sell.ice"), "text")
	d.ICE.Dir, d.ICE.Help = "ltr", t("sell.ice_help")
	d.RIB = field("rib", optional("sell.rib"), "text")
	d.RIB.Dir, d.RIB.Help = "ltr", t("sell.rib_help")

	for _, k := range vendor.DocumentKinds {
		f := field("documents."+string(k), t("sell.doc."+string(k)), "file")
		f.Help = t("sell.doc." + string(k) + "_help")
		d.Documents = append(d.Documents, docField{formField: f})
	}
	return d
}

// sell is the application form (GET), its thank-you state (GET ?sent=1)
// and the application (POST, multipart/form-data: the documents are
// files). A refused application comes back with status 422, what was
// typed kept (files cannot be: the page says so), each problem beside its
// field and listed at the top; nothing is written. A good one is
// recorded with status applied and answered by 303 to the thank-you state.
func (s *Server) sell(w http.ResponseWriter, r *http.Request, loc string) error {
	t := func(key string) string { return i18n.T(loc, key, nil) }
	if r.Method != http.MethodPost {
		if r.URL.Query().Has("sent") {
			private(w)
			return s.render(w, http.StatusOK, "sell", s.privatePage(r, loc, t("sell.sent_title"), sellData{Sent: true}))
		}
		p := s.page(r, loc, t("sell.title"), newSellForm(loc))
		p.Description = t("sell.intro")
		return s.render(w, http.StatusOK, "sell", p)
	}

	private(w)
	d := newSellForm(loc)
	tooLarge := func() error {
		d.Message = t("sell.too_large")
		return s.render(w, http.StatusRequestEntityTooLarge, "sell", s.privatePage(r, loc, t("sell.title"), d))
	}
	if r.ContentLength > sellBodyLimit {
		return tooLarge()
	}
	r.Body = http.MaxBytesReader(w, r.Body, sellBodyLimit)
	err := r.ParseMultipartForm(sellMemory) // a no-op when auth.CSRF parsed it already
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll() // the files spilt to disk
	}
	var mb *http.MaxBytesError
	switch {
	case err == nil, errors.Is(err, http.ErrNotMultipart): // a form without files: its fields still count
	case errors.As(err, &mb), errors.Is(err, multipart.ErrMessageTooLarge):
		return tooLarge()
	default:
		return errs.Wrap(errs.Invalid, "error.invalid", err)
	}

	for _, f := range d.fields() {
		f.Value = r.PostForm.Get(f.Name)
	}
	for _, sel := range []*selectField{&d.Kind, &d.Region} {
		for i := range sel.Choices {
			sel.Choices[i].Selected = sel.Choices[i].Value == sel.Value
		}
	}
	app := vendor.Application{Locale: loc, Input: vendor.Input{
		Kind: vendor.Kind(d.Kind.Value), LegalName: d.LegalName.Value, Region: d.Region.Value, City: d.City.Value,
		CooperativeNumber: d.CooperativeNumber.Value, ICE: d.ICE.Value, ContactName: d.ContactName.Value,
		Email: d.Email.Value, Phone: d.Phone.Value, RIB: d.RIB.Value, Texts: map[string]vendor.Texts{},
	}}
	for i, l := range nameLocales(loc) {
		txt := vendor.Texts{DisplayName: d.Names[i].Value}
		if l == loc {
			txt.Story = d.Story.Value
		}
		if strings.TrimSpace(txt.DisplayName) != "" || strings.TrimSpace(txt.Story) != "" {
			app.Texts[l] = txt
		}
	}
	// Each upload's input (an index in d.Documents), to put its problem there.
	var from []int
	if r.MultipartForm != nil {
		for i, f := range d.Documents {
			for _, fh := range r.MultipartForm.File[f.Name] {
				if fh.Filename == "" && fh.Size == 0 {
					continue // an input left empty
				}
				data, err := readUpload(fh)
				if err != nil {
					return fmt.Errorf("application: read %s: %w", f.Name, err)
				}
				app.Documents = append(app.Documents, vendor.Upload{Kind: vendor.DocumentKind(strings.TrimPrefix(f.Name, "documents.")),
					Filename: fh.Filename, Data: data})
				from = append(from, i)
			}
		}
	}

	_, err = s.Vendors.Apply(r.Context(), app)
	if err == nil {
		http.Redirect(w, r, "/"+loc+"/sell?sent=1", http.StatusSeeOther)
		return nil
	}
	var e *errs.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	fields := make(map[string]string, len(e.Fields))
	for k, v := range e.Fields {
		fields[k] = v
	}
	if key, ok := fields["texts"]; ok { // no name in any language: the first name field says so
		if _, named := fields[d.Names[0].Name]; !named {
			fields[d.Names[0].Name] = key
		}
		delete(fields, "texts")
	}
	d.Problems = fieldProblems(loc, fields, d.fields())
	for _, f := range d.fields() {
		delete(fields, f.Name)
	}
	if key, ok := fields["documents"]; ok {
		d.DocumentsError = i18n.T(loc, key, nil)
		d.Problems = append(d.Problems, problem{ID: "documents", Text: i18n.T(loc, "shop.field_error",
			map[string]any{"field": t("sell.section_documents"), "problem": d.DocumentsError})})
		delete(fields, "documents")
	}
	for i, up := range app.Documents {
		name := fmt.Sprintf("documents[%d]", i)
		key, ok := fields[name]
		if !ok {
			continue
		}
		f, why := &d.Documents[from[i]], i18n.T(loc, key, nil)
		// Beside the input, the file's name says which; in the summary, the input's label too.
		f.Errors = append(f.Errors, i18n.T(loc, "shop.field_error", map[string]any{"field": up.Filename, "problem": why}))
		d.Problems = append(d.Problems, problem{ID: f.ID, Text: i18n.T(loc, "shop.field_error", map[string]any{"problem": why,
			"field": i18n.T(loc, "sell.file", map[string]any{"kind": f.Label, "file": up.Filename})})})
		delete(fields, name)
	}
	for k, v := range fields { // anything else the domain names, so that nothing goes unsaid
		d.Problems = append(d.Problems, problem{ID: "problems", Text: i18n.T(loc, "shop.field_error", map[string]any{"field": k, "problem": i18n.T(loc, v, nil)})})
	}
	if len(app.Documents) > 0 {
		d.FilesAgain = true
		for i := range d.Documents {
			d.Documents[i].Again = true
		}
	}
	return s.render(w, http.StatusUnprocessableEntity, "sell", s.privatePage(r, loc, t("sell.title"), d))
}

// readUpload reads an uploaded file, up to one byte more than a document
// may have: enough for vendor.Apply to say it is too large.
func readUpload(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, vendor.MaxDocumentBytes+1))
}
