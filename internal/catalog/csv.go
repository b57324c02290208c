package catalog

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"souk/internal/audit"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"souk/internal/auth"
	"souk/internal/db"
	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/money"
	"souk/internal/search"
	"souk/internal/text"
)

// Limits of one CSV import (see docs/PRODUCTS_CSV.md).
const (
	MaxCSVBytes       = 20 << 20 // 20 MB
	MaxCSVRows        = 50_000   // data rows, the header aside
	MaxImportProblems = 1000     // problems listed in an ImportReport; the rest are only counted
)

// The message keys of CSV problems that no other form needs; their texts
// belong in the interface messages (docs/PRODUCTS_CSV.md lists them).
const (
	keyEncoding      = "csv.encoding"      // the file is not UTF-8
	keySyntax        = "csv.syntax"        // a quote is not closed or is misplaced
	keyDiffers       = "csv.differs"       // {line}: a product column differs between rows of one product
	keyPrice         = "csv.price"         // not an amount like 120,50 or 120.50
	keyCertification = "csv.certification" // not kind:issuer:number:YYYY-MM-DD
)

// col is a column of the products CSV layout, in the order ExportCSV writes them.
type col int

const (
	colSKU            col = 0
	colProduct        col = 1
	colCategory       col = 2
	colTitle          col = 3 // one per locale, in i18n.Locales order: title_ar, title_zgh, title_fr, title_en, title_es
	colLabel          col = 8
	colPrice          col = 9
	colStock          col = 10
	colWeight         col = 11
	colLength         col = 12
	colWidth          col = 13
	colHeight         col = 14
	colStatus         col = 15
	colTaxClass       col = 16
	colRegion         col = 17
	colCertifications col = 18
	colDescription    col = 19 // one per locale, like colTitle
	colISBN           col = 24
	colAuthors        col = 25
	colPublisher      col = 26
	colLanguage       col = 27
	colYear           col = 28
	colPages          col = 29
	numCols               = 30
)

// csvColumns are the header names, indexed by col.
var csvColumns = func() []string {
	names := []string{"sku", "product", "category"}
	for _, l := range i18n.Locales {
		names = append(names, "title_"+l)
	}
	names = append(names, "variant_label", "price_mad", "stock", "weight_grams", "length_mm", "width_mm", "height_mm",
		"status", "tax_class", "region", "certifications")
	for _, l := range i18n.Locales {
		names = append(names, "description_"+l)
	}
	names = append(names, "isbn", "authors", "publisher", "language", "year", "pages")
	if len(names) != numCols || names[colLabel] != "variant_label" || names[colCertifications] != "certifications" ||
		names[colDescription] != "description_ar" || names[colISBN] != "isbn" || names[colPages] != "pages" {
		panic("catalog: the CSV column constants and names disagree")
	}
	return names
}()

// productColumns are the columns that describe the product rather than the
// variant: every row of a product may repeat them or leave them blank.
var productColumns = func() []col {
	var out []col
	for c := colCategory; c < numCols; c++ {
		if c != colLabel && !slices.Contains(variantNumbersArr[:], c) {
			out = append(out, c)
		}
	}
	return out
}()

var bookColumns = []col{colISBN, colAuthors, colPublisher, colLanguage, colYear, colPages}

// Problem is one thing wrong with an imported file.
type Problem struct {
	Line   int            `json:"line"`   // line of the file where the row starts (the header is line 1); for the whole file (csv.encoding), where the problem was found
	Row    int            `json:"row"`    // the row as a spreadsheet numbers it (the header is row 1); differs from Line after cells with line breaks
	Column string         `json:"column"` // header name; "" when the problem is the row or the file
	Key    string         `json:"key"`    // message key, e.g. "field.negative" (i18n.T)
	Args   map[string]any `json:"args,omitempty"`
}

// ImportReport says what an import found and did. Product counts are by
// product; a product with one new or changed variant counts as updated.
type ImportReport struct {
	Rows      int `json:"rows"`     // data rows read (blank rows aside)
	Products  int `json:"products"` // distinct products in the file
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`

	VariantsCreated   int `json:"variants_created"`
	VariantsUpdated   int `json:"variants_updated"`
	VariantsUnchanged int `json:"variants_unchanged"`

	// Problems are the first MaxImportProblems problems found, in line
	// order; ProblemCount counts them all. When there is any, nothing was
	// written.
	Problems     []Problem `json:"problems"`
	ProblemCount int       `json:"problem_count"`
}

func (r *ImportReport) err() error {
	if r.ProblemCount == 0 {
		return nil
	}
	fields := make(map[string]string, len(r.Problems))
	for _, p := range r.Problems {
		k := fmt.Sprintf("lines[%d]", p.Line)
		if p.Column != "" {
			k += "." + p.Column
		}
		if _, ok := fields[k]; !ok {
			fields[k] = p.Key
		}
	}
	return &errs.Error{Code: errs.Invalid, Message: "error.invalid", Fields: fields}
}

// ImportCSV creates and updates vendorID's products from a CSV file laid out
// as docs/PRODUCTS_CSV.md describes: one row per variant, rows of one product
// sharing its key (the product column, which is its slug), UTF-8 with or
// without a byte-order mark, "," or ";" between cells.
//
// Who may: the vendor's users and operators; for anyone else, and for a
// vendor that does not exist, errs.NotFound. Vendor users may not publish or
// reject (they may keep a status the operator set).
//
// Policy: every row is checked first. When anything is wrong nothing is
// written; the report lists the problems (line, column, message key) and the
// error is errs.Invalid. Otherwise everything is written in one transaction.
// Rows are upserts: a product is found by (vendor, product key), a variant
// by its SKU within the product; what exists is updated, what does not is
// created, what is identical is left alone (counted unchanged), so running a
// file twice changes nothing the second time. Products and variants missing
// from the file are kept, never deleted; photos are not in the file and are
// kept. A column missing from the header leaves that field as it is. A file
// over MaxCSVBytes or MaxCSVRows is errs.TooLarge.
//
// progress, when not nil, is called every few hundred rows with done out of
// total = 2 × rows: the first half while checking, the second while writing.
// It is called on the caller's goroutine, during the write transaction too:
// it must return quickly.
func (s *Service) ImportCSV(ctx context.Context, by auth.User, vendorID int64, r io.Reader, progress func(done, total int)) (ImportReport, error) {
	if progress == nil {
		progress = func(int, int) {}
	}
	if err := s.csvAccess(ctx, by, vendorID); err != nil {
		return ImportReport{}, err
	}
	f, err := readCSV(r)
	if err != nil {
		return ImportReport{}, err
	}
	total := 2 * len(f.rows)
	if f.fatal {
		rep := f.report()
		return rep, rep.err()
	}
	progress(0, total)
	now := s.now().UTC()
	plan, err := s.planImport(ctx, s.db.Read(), by, vendorID, f, now, func(done int) { progress(done, total) })
	if err != nil {
		return ImportReport{}, fmt.Errorf("import products: %w", err)
	}
	if plan.report.ProblemCount > 0 {
		return plan.report, plan.report.err()
	}
	if len(plan.creates) == 0 && len(plan.updates) == 0 {
		progress(total, total)
		return plan.report, nil
	}
	var changed []int64
	var replanned *importPlan
	err = s.write(ctx, func(tx db.Querier) error {
		changed = nil
		if tx.Dialect() == db.Postgres {
			// Two imports for one vendor take turns, so the second sees the
			// first's products. Product inserts only take KEY SHARE on the
			// vendor row, which this lock lets through.
			if _, err := tx.ExecContext(ctx, `SELECT id FROM vendors WHERE id = ? FOR NO KEY UPDATE`, vendorID); err != nil {
				return err
			}
		}
		mark, err := vendorMark(ctx, tx, vendorID)
		if err != nil {
			return err
		}
		p := plan
		if mark != plan.mark {
			// The vendor's products changed since they were checked: check again
			// against what the transaction sees.
			if p, err = s.planImport(ctx, tx, by, vendorID, f, now, func(int) {}); err != nil {
				return err
			}
			replanned = p
			if p.report.ProblemCount > 0 {
				return errReplanned
			}
		}
		changed, err = applyImport(ctx, tx, p, now, func(done int) { progress(len(f.rows)+done, total) })
		if err != nil {
			return err
		}
		r := p.report
		return audit.Record(ctx, tx, by, "product.import", "vendor", vendorID, nil, map[string]int{"rows": r.Rows,
			"created": r.Created, "updated": r.Updated, "unchanged": r.Unchanged}, now)
	}, func() []int64 { return changed })
	if replanned != nil {
		plan = replanned
	}
	if errors.Is(err, errReplanned) {
		return plan.report, plan.report.err()
	}
	if err != nil {
		return ImportReport{}, fmt.Errorf("import products: %w", err)
	}
	progress(total, total)
	return plan.report, nil
}

// errReplanned: checked again inside the transaction, the file had problems.
var errReplanned = errors.New("import found problems on a second check")

// csvAccess lets operators and the vendor's own users import and export;
// others, and everyone for a vendor that does not exist, get not found.
func (s *Service) csvAccess(ctx context.Context, by auth.User, vendorID int64) error {
	if !by.IsOperator() && (!by.IsVendorUser() || by.VendorID != vendorID) {
		return errs.NotFoundE("vendor")
	}
	var one int
	err := s.db.Read().QueryRowContext(ctx, `SELECT 1 FROM vendors WHERE id = ?`, vendorID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return errs.NotFoundE("vendor")
	}
	return err
}

// vendorMark changes whenever one of the vendor's products is created,
// changed through the service or deleted.
func vendorMark(ctx context.Context, q db.Querier, vendorID int64) (string, error) {
	var n int
	var maxID int64
	var last sql.NullString
	err := q.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MAX(id), 0), MAX(updated_at) FROM products WHERE vendor_id = ?`,
		vendorID).Scan(&n, &maxID, &last)
	return fmt.Sprintf("%d/%d/%s", n, maxID, last.String), err
}

// ---- Reading the file ----

// csvRow is one data row of the file.
type csvRow struct {
	line, row int // where it starts in the file; its spreadsheet row
	rec       []string
	sku       string
	key       string // product key, lower case
	num       [len(variantNumbersArr)]int64
	set       [len(variantNumbersArr)]bool // the number cell was filled and read
}

// variantNumbersArr are the variant columns read as numbers; a blank cell
// keeps the variant's value.
var variantNumbersArr = [...]col{colPrice, colStock, colWeight, colLength, colWidth, colHeight}

// csvFile is a parsed file: its columns, rows grouped by product, and the
// problems found in single cells.
type csvFile struct {
	index    [numCols]int // column -> position in the file, -1 when absent
	width    int          // cells in the header
	rows     []*csvRow
	groups   []*csvGroup
	problems problemList
	fatal    bool // the file cannot be read further (encoding, syntax, header)
}

type csvGroup struct {
	key  string
	rows []*csvRow
}

// problemList collects problems, one per cell, keeping the first
// MaxImportProblems.
type problemList struct {
	list  []Problem
	count int
	seen  map[[2]int]bool // line, column
}

func (l *problemList) add(p Problem, c col) {
	if l.seen == nil {
		l.seen = map[[2]int]bool{}
	}
	k := [2]int{p.Line, int(c)}
	if l.seen[k] {
		return
	}
	l.seen[k] = true
	l.count++
	if len(l.list) < MaxImportProblems {
		l.list = append(l.list, p)
	}
}

func (l *problemList) clone() problemList {
	out := problemList{list: slices.Clone(l.list), count: l.count, seen: make(map[[2]int]bool, len(l.seen))}
	for k := range l.seen {
		out.seen[k] = true
	}
	return out
}

// noCol stands for problems of a whole row or file.
const noCol col = -1

func (f *csvFile) problem(r *csvRow, c col, key string, args map[string]any) {
	f.problems.add(rowProblem(r, c, key, args), c)
}

func rowProblem(r *csvRow, c col, key string, args map[string]any) Problem {
	p := Problem{Line: r.line, Row: r.row, Key: key, Args: args}
	if c >= 0 {
		p.Column = csvColumns[c]
	}
	return p
}

func (f *csvFile) report() ImportReport {
	rep := ImportReport{Rows: len(f.rows), Products: len(f.groups), Problems: append([]Problem{}, f.problems.list...), ProblemCount: f.problems.count}
	sortProblems(rep.Problems)
	return rep
}

func sortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
}

// cell is the raw text of column c in r, "" when the file has no such column.
func (f *csvFile) cell(r *csvRow, c col) string {
	i := f.index[c]
	if i < 0 || i >= len(r.rec) {
		return ""
	}
	return r.rec[i]
}

func (f *csvFile) has(c col) bool { return f.index[c] >= 0 }

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// readCSV reads and checks a whole file: encoding, separator, header, and
// every cell that can be checked alone. Too large a file is an error; other
// problems are in the csvFile.
func readCSV(r io.Reader) (*csvFile, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxCSVBytes+1))
	if err != nil {
		return nil, fmt.Errorf("import products: read: %w", err)
	}
	if len(data) > MaxCSVBytes {
		return nil, &errs.Error{Code: errs.TooLarge, Message: "error.too_large", Args: map[string]any{"limit": "20 MB"}}
	}
	f := &csvFile{}
	for i := range f.index {
		f.index[i] = -1
	}
	fail := func(line int, c col, key string) (*csvFile, error) {
		f.problem(&csvRow{line: line, row: line}, c, key, nil)
		f.fatal = true
		return f, nil
	}
	if bytes.HasPrefix(data, bomUTF16LE) || bytes.HasPrefix(data, bomUTF16BE) {
		return fail(1, noCol, keyEncoding)
	}
	data = bytes.TrimPrefix(data, bomUTF8)
	if bad := invalidUTF8At(data); bad >= 0 {
		return fail(1+bytes.Count(data[:bad], []byte("\n")), noCol, keyEncoding)
	}

	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = separator(data)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return fail(1, colSKU, "field.required")
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fail(pe.StartLine, noCol, keySyntax)
	}
	if err != nil {
		return nil, fmt.Errorf("import products: %w", err)
	}
	f.width = len(header)
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if name == "" {
			continue // an empty column at the end of a sheet; its cells must be empty
		}
		c := col(slices.Index(csvColumns, name))
		hp := Problem{Line: 1, Row: 1, Column: h}
		switch {
		case c < 0:
			hp.Key = "field.unknown"
			f.problems.add(hp, col(1000+i))
		case f.index[c] >= 0:
			hp.Key = "field.duplicate"
			f.problems.add(hp, c)
		default:
			f.index[c] = i
		}
	}
	for _, c := range []col{colSKU, colProduct} {
		if !f.has(c) {
			f.problems.add(Problem{Line: 1, Row: 1, Column: csvColumns[c], Key: "field.required"}, c)
		}
	}
	if f.problems.count > 0 {
		f.fatal = true
		return f, nil
	}

	byKey := map[string]*csvGroup{}
	skus := map[string]*csvRow{} // lower-case SKU -> its first row
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.As(err, &pe) {
			return fail(pe.StartLine, noCol, keySyntax)
		}
		if err != nil {
			return nil, fmt.Errorf("import products: %w", err)
		}
		line, _ := cr.FieldPos(0)
		r := &csvRow{line: line, row: row, rec: rec}
		if blankRecord(rec) {
			continue
		}
		if len(f.rows) == MaxCSVRows {
			return nil, &errs.Error{Code: errs.TooLarge, Message: "error.too_large", Args: map[string]any{"limit": "50,000 rows"}}
		}
		f.rows = append(f.rows, r)
		for i := range rec {
			if strings.TrimSpace(rec[i]) != "" && (i >= f.width || strings.TrimSpace(header[i]) == "") {
				f.problem(r, noCol, "field.too_many", nil)
				break
			}
		}
		f.readNumbers(r)
		r.sku = strings.TrimSpace(f.cell(r, colSKU))
		r.key = strings.ToLower(text.Clean(f.cell(r, colProduct)))
		if r.key == "" {
			f.problem(r, colProduct, "field.required", nil)
		}
		if r.sku == "" {
			f.problem(r, colSKU, "field.required", nil)
		} else if first, dup := skus[strings.ToLower(r.sku)]; dup {
			f.problem(r, colSKU, "field.duplicate", map[string]any{"line": first.line})
			continue
		} else {
			skus[strings.ToLower(r.sku)] = r
		}
		if r.key == "" || r.sku == "" {
			continue
		}
		g := byKey[r.key]
		if g == nil {
			g = &csvGroup{key: r.key}
			byKey[r.key] = g
			f.groups = append(f.groups, g)
		}
		g.rows = append(g.rows, r)
	}
	return f, nil
}

// readNumbers reads the variant's number cells of r.
func (f *csvFile) readNumbers(r *csvRow) {
	for i, c := range variantNumbersArr {
		s := strings.TrimSpace(f.cell(r, c))
		if s == "" {
			continue
		}
		var v int64
		var key string
		if c == colPrice {
			v, key = parseDirhams(s)
		} else {
			v, key = parseWhole(s)
		}
		if key != "" {
			f.problem(r, c, key, nil)
			continue
		}
		r.num[i], r.set[i] = v, true
	}
}

func blankRecord(rec []string) bool {
	for _, s := range rec {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// invalidUTF8At is the offset of the first byte that is not UTF-8, or -1.
func invalidUTF8At(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// separator is ";" when the header line holds more semicolons than commas
// outside quotes (Excel in French writes ";"), else ",".
func separator(data []byte) rune {
	commas, semicolons, quoted := 0, 0, false
	for _, c := range data {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\n':
			if semicolons > commas {
				return ';'
			}
			return ','
		case c == ',':
			commas++
		case c == ';':
			semicolons++
		}
	}
	if semicolons > commas {
		return ';'
	}
	return ','
}

// asciiDigits writes Arabic-Indic and Persian digits as ASCII, and the Arabic
// decimal separator as a comma, and drops the spaces people put between
// thousands.
var asciiDigits = strings.NewReplacer(
	"٠", "0", "١", "1", "٢", "2", "٣", "3", "٤", "4", "٥", "5", "٦", "6", "٧", "7", "٨", "8", "٩", "9",
	"۰", "0", "۱", "1", "۲", "2", "۳", "3", "۴", "4", "۵", "5", "۶", "6", "۷", "7", "۸", "8", "۹", "9",
	"٫", ",", "٬", "", " ", "", "\u00a0", "", "\u202f", "", "\u2009", "")

// parseDirhams reads a price in dirhams: "120", "120,5", "120.50", "1 200,50",
// "120,50 MAD", "-3" (refused later as negative). A third decimal, or both
// "," and ".", are refused: "1.200" may mean 1.2 or 1200.
func parseDirhams(s string) (int64, string) {
	s = asciiDigits.Replace(s)
	for _, unit := range []string{"MAD", "mad", "DH", "Dh", "dh", "DHS", "dhs"} {
		s = strings.TrimSuffix(s, unit)
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if strings.Contains(s, ",") && strings.Contains(s, ".") {
		return 0, keyPrice
	}
	whole, frac, _ := strings.Cut(strings.ReplaceAll(s, ",", "."), ".")
	if whole == "" || len(frac) > 2 || len(whole) > 12 || !allDigits(whole) || !allDigits(frac) {
		return 0, keyPrice
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	c, _ := strconv.ParseInt((frac + "00")[:2], 10, 64)
	v := w*100 + c
	if neg {
		v = -v
	}
	return v, ""
}

// parseWhole reads a whole number: "12", "1 200", "-3", "١٢".
func parseWhole(s string) (int64, string) {
	s = asciiDigits.Replace(s)
	digits := strings.TrimPrefix(s, "-")
	switch {
	case digits == "" || !allDigits(digits):
		return 0, "field.integer"
	case len(digits) > 12:
		return 0, "field.too_large"
	}
	v, _ := strconv.ParseInt(s, 10, 64)
	return v, ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ---- Checking against the catalog ----

// importPlan is what an import will write, with its report.
type importPlan struct {
	report  ImportReport
	creates []prepared
	updates []productUpdate
	rows    map[string]int // product key -> rows in the file, for progress
	mark    string
}

// productUpdate is an existing product the file changes.
type productUpdate struct {
	id       int64
	p        prepared
	variants []variantWrite // new and changed variants only
	details  bool           // texts, certifications, book or settings changed
	reindex  bool           // its search entry changes: details, or the lowest price
}

type variantWrite struct {
	v   Variant // ID is 0 for a new variant
	pos int
}

// vendorState is what the vendor already has, as far as a file touches it.
type vendorState struct {
	ids       map[string]int64  // product slug -> id
	products  map[int64]Product // the file's existing products, hydrated
	skuOwner  map[string]string // lower-case SKU -> slug of the product holding it
	elsewhere map[string]bool   // file's product keys that are other vendors' slugs
}

func loadVendorState(ctx context.Context, q db.Querier, vendorID int64, groups []*csvGroup) (*vendorState, error) {
	st := &vendorState{ids: map[string]int64{}, products: map[int64]Product{}, skuOwner: map[string]string{}, elsewhere: map[string]bool{}}
	rows, err := q.QueryContext(ctx, `SELECT id, slug FROM products WHERE vendor_id = ?`, vendorID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var slug string
		if err := rows.Scan(&id, &slug); err != nil {
			rows.Close()
			return nil, err
		}
		st.ids[slug] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT x.sku, p.slug FROM variants x JOIN products p ON p.id = x.product_id
		WHERE p.vendor_id = ? ORDER BY x.id`, vendorID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var sku, slug string
		if err := rows.Scan(&sku, &slug); err != nil {
			rows.Close()
			return nil, err
		}
		if _, ok := st.skuOwner[strings.ToLower(sku)]; !ok {
			st.skuOwner[strings.ToLower(sku)] = slug
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	var others, mine []any
	for _, g := range groups {
		if id, ok := st.ids[g.key]; ok {
			mine = append(mine, id)
		} else {
			others = append(others, g.key)
		}
	}
	for start := 0; start < len(others); start += 500 {
		chunk := others[start:min(start+500, len(others))]
		if err := collect(ctx, q, st.elsewhere, `SELECT slug FROM products WHERE slug IN (`+db.Placeholders(len(chunk))+`)`, chunk...); err != nil {
			return nil, err
		}
	}
	for start := 0; start < len(mine); start += 1000 {
		chunk := mine[start:min(start+1000, len(mine))]
		items, err := loadProducts(ctx, q, productSelect+` WHERE p.id IN (`+db.Placeholders(len(chunk))+`)`, chunk...)
		if err != nil {
			return nil, err
		}
		for _, p := range items {
			st.products[p.ID] = p
		}
	}
	return st, nil
}

// loadProducts reads products with everything they hold through q.
func loadProducts(ctx context.Context, q db.Querier, query string, args ...any) ([]Product, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var items []Product
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		items = append(items, r.Product)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return items, hydrate(ctx, q, items)
}

// planImport checks every product of f against the catalog as q sees it
// and decides what to write. Problems go in the plan's report.
func (s *Service) planImport(ctx context.Context, q db.Querier, by auth.User, vendorID int64, f *csvFile, now time.Time, progress func(done int)) (*importPlan, error) {
	mark, err := vendorMark(ctx, q, vendorID)
	if err != nil {
		return nil, err
	}
	st, err := loadVendorState(ctx, q, vendorID, f.groups)
	if err != nil {
		return nil, err
	}
	refs, err := loadRefs(ctx, q)
	if err != nil {
		return nil, err
	}
	pl := &importPlan{mark: mark, rows: make(map[string]int, len(f.groups))}
	pr := &planner{f: f, problems: f.problems.clone()}
	type checked struct {
		g   *csvGroup
		cur *Product
		p   prepared
		vl  []*csvRow
	}
	var ok []checked
	isbns := map[string]*csvGroup{}
	done, reported := 0, 0
	for _, g := range f.groups {
		pl.rows[g.key] = len(g.rows)
		done += len(g.rows)
		if done-reported >= 250 {
			progress(done)
			reported = done
		}
		var cur *Product
		if id, found := st.ids[g.key]; found {
			p := st.products[id]
			cur = &p
		} else if st.elsewhere[g.key] {
			pr.add(g.rows[0], colProduct, "field.taken", nil)
			continue
		}
		in, vlines := pr.merge(g, cur)
		bad := false
		for i, v := range in.Variants {
			if vlines[i] == nil {
				continue // kept from the catalog, not in the file
			}
			if owner, taken := st.skuOwner[strings.ToLower(v.SKU)]; taken && owner != g.key {
				pr.add(vlines[i], colSKU, "field.taken", map[string]any{"product": owner})
				bad = true
			}
		}
		current := Status("")
		if cur != nil {
			current = cur.Status
		}
		if err := authorizeWrite(by, vendorID, in.Status, current); err != nil {
			pr.fieldErrors(g, err, vlines)
			continue
		}
		// prepare checks references only once the fields are right: check
		// them here too, so that every problem of the row is listed.
		if _, known := refs.categories[strings.TrimSpace(in.Category)]; !known && in.Category != "" {
			pr.add(pr.from(g, colCategory), colCategory, "field.category", nil)
		}
		if t := strings.TrimSpace(in.TaxClass); t != "" && !refs.taxClasses[t] {
			pr.add(pr.from(g, colTaxClass), colTaxClass, "field.enum", nil)
		}
		p, err := refs.prepare(ctx, q, vendorID, in, now)
		if err != nil {
			var e *errs.Error
			if !errors.As(err, &e) {
				return nil, err
			}
			pr.fieldErrors(g, err, vlines)
			continue
		}
		dropEmptyTexts(p.in.Texts)
		if b := p.in.Book; b != nil {
			if first, dup := isbns[b.ISBN]; dup {
				pr.add(pr.from(g, colISBN), colISBN, "field.duplicate", map[string]any{"line": pr.from(first, colISBN).line})
				bad = true
			} else {
				isbns[b.ISBN] = g
			}
		}
		if !bad {
			ok = append(ok, checked{g, cur, p, vlines})
		}
	}
	progress(done)
	// ISBNs are unique across the marketplace.
	owners, err := isbnOwners(ctx, q, isbns)
	if err != nil {
		return nil, err
	}
	for _, c := range ok {
		if b := c.p.in.Book; b != nil {
			if owner, taken := owners[b.ISBN]; taken && (c.cur == nil || owner != c.cur.ID) {
				pr.add(pr.from(c.g, colISBN), colISBN, "field.taken", nil)
			}
		}
	}

	pl.report = ImportReport{Rows: len(f.rows), Products: len(f.groups), Problems: append([]Problem{}, pr.problems.list...), ProblemCount: pr.problems.count}
	sortProblems(pl.report.Problems)
	if pl.report.ProblemCount > 0 {
		return pl, nil
	}
	rep := &pl.report
	for _, c := range ok {
		if c.cur == nil {
			pl.creates = append(pl.creates, c.p)
			rep.Created++
			rep.VariantsCreated += len(c.p.in.Variants)
			continue
		}
		u := productUpdate{id: c.cur.ID, p: c.p}
		was := make(map[string]Variant, len(c.cur.Variants))
		for _, v := range c.cur.Variants {
			was[v.SKU] = v
		}
		for pos, v := range c.p.in.Variants {
			old, existed := was[v.SKU]
			switch {
			case !existed:
				rep.VariantsCreated++
			case sameVariant(old, v):
				if c.vl[pos] != nil {
					rep.VariantsUnchanged++
				}
				continue
			default:
				rep.VariantsUpdated++
				v.ID = old.ID
			}
			u.variants = append(u.variants, variantWrite{v: v, pos: pos})
		}
		u.details = !sameProduct(*c.cur, c.p)
		u.reindex = u.details || lowestPrice(c.cur.Variants) != lowestPrice(c.p.in.Variants)
		if len(u.variants) == 0 && !u.details {
			rep.Unchanged++
			continue
		}
		rep.Updated++
		pl.updates = append(pl.updates, u)
	}
	return pl, nil
}

func isbnOwners(ctx context.Context, q db.Querier, isbns map[string]*csvGroup) (map[string]int64, error) {
	owners := map[string]int64{}
	list := make([]any, 0, len(isbns))
	for isbn := range isbns {
		list = append(list, isbn)
	}
	for start := 0; start < len(list); start += 500 {
		chunk := list[start:min(start+500, len(list))]
		rows, err := q.QueryContext(ctx, `SELECT isbn, product_id FROM books WHERE isbn IN (`+db.Placeholders(len(chunk))+`)`, chunk...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var isbn string
			var id int64
			if err := rows.Scan(&isbn, &id); err != nil {
				rows.Close()
				return nil, err
			}
			owners[isbn] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return owners, nil
}

// planner checks the products of one file.
type planner struct {
	f        *csvFile
	problems problemList
	// values and where they came from, per product column, of the product
	// being merged
	vals [numCols]string
	src  [numCols]*csvRow
}

func (pr *planner) add(r *csvRow, c col, key string, args map[string]any) {
	pr.problems.add(rowProblem(r, c, key, args), c)
}

// from is the row a product column's value came from, or the product's
// first row.
func (pr *planner) from(g *csvGroup, c col) *csvRow {
	for _, r := range g.rows {
		if strings.TrimSpace(pr.f.cell(r, c)) != "" {
			return r
		}
	}
	return g.rows[0]
}

// productValues reads the product columns of g: the first filled cell of
// each; another row may repeat it or leave it blank.
func (pr *planner) productValues(g *csvGroup) {
	for _, c := range productColumns {
		pr.vals[c], pr.src[c] = "", nil
		if !pr.f.has(c) {
			continue
		}
		for _, r := range g.rows {
			v := unguard(text.Clean(pr.f.cell(r, c)))
			switch {
			case v == "":
			case pr.src[c] == nil:
				pr.vals[c], pr.src[c] = v, r
			case v != pr.vals[c]:
				pr.add(r, c, keyDiffers, map[string]any{"line": pr.src[c].line})
			}
		}
	}
}

// merge builds the product's input: what the catalog holds (cur, nil for a
// new product) with the file's columns over it. It returns, for each
// variant, the row it comes from (nil for a variant absent from the file).
func (pr *planner) merge(g *csvGroup, cur *Product) (Input, []*csvRow) {
	f := pr.f
	pr.productValues(g)
	in := Input{Slug: g.key}
	if cur != nil {
		in = Input{Slug: cur.Slug, Category: cur.CategorySlug, Region: cur.Region, TaxClass: cur.TaxClass, Status: cur.Status,
			Texts: cloneTexts(cur.Texts), Variants: slices.Clone(cur.Variants), Certifications: slices.Clone(cur.Certifications)}
		// Photos are not in the file and stay as they are.
		if cur.Book != nil {
			b := *cur.Book
			b.Authors = slices.Clone(b.Authors)
			in.Book = &b
		}
	}
	if in.Texts == nil {
		in.Texts = map[string]Texts{}
	}
	// Settings: a blank cell keeps the current value (or the default).
	if v := pr.vals[colCategory]; v != "" {
		in.Category = v
	}
	if v := pr.vals[colStatus]; v != "" {
		in.Status = Status(strings.ToLower(v))
	}
	if v := pr.vals[colTaxClass]; v != "" {
		in.TaxClass = strings.ToLower(v)
	}
	if v := pr.vals[colRegion]; v != "" {
		in.Region = strings.ToLower(v)
	}
	// Words: the cell is the value, blank means none.
	for i, l := range i18n.Locales {
		t := in.Texts[l]
		if f.has(colTitle + col(i)) {
			t.Title = pr.vals[colTitle+col(i)]
		}
		if f.has(colDescription + col(i)) {
			t.Description = pr.vals[colDescription+col(i)]
		}
		in.Texts[l] = t
	}
	dropEmptyTexts(in.Texts)
	if f.has(colCertifications) {
		certs, ok := parseCertifications(pr.vals[colCertifications])
		if !ok {
			pr.add(pr.src[colCertifications], colCertifications, keyCertification, nil)
		}
		in.Certifications = certs
	}
	pr.mergeBook(&in)

	lines := make([]*csvRow, len(in.Variants))
	at := make(map[string]int, len(in.Variants))
	for i, v := range in.Variants {
		at[v.SKU] = i
	}
	for _, r := range g.rows {
		i, ok := at[r.sku]
		if !ok {
			i = len(in.Variants)
			in.Variants = append(in.Variants, Variant{SKU: r.sku, Price: money.Dirhams(0)})
			lines = append(lines, nil)
			if !r.set[0] {
				pr.add(r, colPrice, "field.required", nil) // unless the cell was already found bad
			}
		}
		lines[i] = r
		v := &in.Variants[i]
		if f.has(colLabel) {
			v.Label = unguard(text.Clean(f.cell(r, colLabel)))
		}
		nums := []*int{&v.Stock, &v.WeightGrams, &v.LengthMM, &v.WidthMM, &v.HeightMM}
		for k := range variantNumbersArr {
			switch {
			case !r.set[k]:
			case k == 0:
				v.Price = money.Dirhams(r.num[0])
			default:
				*nums[k-1] = clampInt(r.num[k])
			}
		}
	}
	return in, lines
}

// clampInt keeps an out-of-range number out of range for the checks
// without overflowing int.
func clampInt(v int64) int { return int(max(min(v, 1<<40), -1<<40)) }

func (pr *planner) mergeBook(in *Input) {
	present := false
	for _, c := range bookColumns {
		present = present || pr.f.has(c)
	}
	if !present {
		return // the catalog's book details stay
	}
	b := Book{}
	if in.Book != nil {
		b = *in.Book
	}
	blank := true
	for _, c := range bookColumns {
		if !pr.f.has(c) {
			continue
		}
		v := pr.vals[c]
		blank = blank && v == ""
		switch c {
		case colISBN:
			b.ISBN = v
		case colAuthors:
			b.Authors = nil
			for _, a := range splitEscaped(v, '|') {
				if a = text.Clean(unescape(a)); a != "" {
					b.Authors = append(b.Authors, a)
				}
			}
		case colPublisher:
			b.Publisher = v
		case colLanguage:
			b.Language = v
		case colYear, colPages:
			n := int64(0)
			if v != "" {
				var key string
				if n, key = parseWhole(v); key != "" {
					pr.add(pr.src[c], c, key, nil)
					n = 0
				}
			}
			if c == colYear {
				b.Year = clampInt(n)
			} else {
				b.Pages = clampInt(n)
			}
		}
	}
	if blank {
		in.Book = nil
		return
	}
	in.Book = &b
}

// fieldErrors turns an error naming Input fields into problems on the
// file's lines and columns.
func (pr *planner) fieldErrors(g *csvGroup, err error, vlines []*csvRow) {
	var e *errs.Error
	if !errors.As(err, &e) {
		return
	}
	if len(e.Fields) == 0 {
		pr.add(g.rows[0], noCol, e.Message, nil)
		return
	}
	paths := make([]string, 0, len(e.Fields))
	for p := range e.Fields {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, path := range paths {
		key := e.Fields[path]
		r, c := pr.locate(g, path, vlines)
		if c == colTitle && path == "texts" {
			// No title in any language: name the title columns together.
			pr.problems.add(Problem{Line: r.line, Row: r.row, Column: "title_*", Key: key}, colTitle)
			continue
		}
		pr.add(r, c, key, nil)
	}
}

// locate finds the row and column an Input field path came from.
func (pr *planner) locate(g *csvGroup, path string, vlines []*csvRow) (*csvRow, col) {
	first := g.rows[0]
	at := func(c col) (*csvRow, col) {
		if r := pr.src[c]; r != nil {
			return r, c
		}
		return first, c
	}
	switch {
	case path == "slug":
		return first, colProduct
	case path == "category":
		return at(colCategory)
	case path == "status":
		return at(colStatus)
	case path == "tax_class":
		return at(colTaxClass)
	case path == "region":
		return at(colRegion)
	case path == "texts":
		return first, colTitle
	case strings.HasPrefix(path, "texts."):
		loc, field, _ := strings.Cut(strings.TrimPrefix(path, "texts."), ".")
		i := slices.Index(i18n.Locales, loc)
		if i < 0 {
			return first, noCol
		}
		if field == "description" {
			return at(colDescription + col(i))
		}
		return at(colTitle + col(i))
	case path == "variants":
		return first, colSKU
	case strings.HasPrefix(path, "variants["):
		idx, field, _ := strings.Cut(strings.TrimPrefix(path, "variants["), "].")
		r := first
		if i, err := strconv.Atoi(idx); err == nil && i < len(vlines) && vlines[i] != nil {
			r = vlines[i]
		}
		switch {
		case field == "sku":
			return r, colSKU
		case field == "label":
			return r, colLabel
		case strings.HasPrefix(field, "price"):
			return r, colPrice
		case field == "stock":
			return r, colStock
		case field == "weight_grams":
			return r, colWeight
		case field == "length_mm":
			return r, colLength
		case field == "width_mm":
			return r, colWidth
		case field == "height_mm":
			return r, colHeight
		}
		return r, noCol
	case strings.HasPrefix(path, "certifications"):
		return at(colCertifications)
	case path == "book", path == "book.isbn":
		return at(colISBN)
	case strings.HasPrefix(path, "book.authors"):
		return at(colAuthors)
	case path == "book.publisher":
		return at(colPublisher)
	case path == "book.language":
		return at(colLanguage)
	case path == "book.year":
		return at(colYear)
	case path == "book.pages":
		return at(colPages)
	}
	return first, noCol // images: kept from the catalog, not in the file
}

func dropEmptyTexts(t map[string]Texts) {
	for l, x := range t {
		if x.Title == "" && x.Description == "" {
			delete(t, l)
		}
	}
}

func lowestPrice(vs []Variant) int64 {
	low := int64(-1)
	for _, v := range vs {
		if low < 0 || v.Price.Amount < low {
			low = v.Price.Amount
		}
	}
	return low
}

func sameVariant(a, b Variant) bool {
	a.ID, b.ID = 0, 0
	return a == b
}

func sameProduct(cur Product, p prepared) bool {
	if cur.CategoryID != p.categoryID || cur.Region != p.region || cur.TaxClass != p.in.TaxClass || cur.Status != p.in.Status ||
		!slices.Equal(cur.Certifications, p.in.Certifications) || len(cur.Texts) != len(p.in.Texts) {
		return false
	}
	for l, t := range cur.Texts {
		n, ok := p.in.Texts[l]
		if !ok || !sameWords(t.Title, n.Title) || !sameWords(t.Description, n.Description) {
			return false
		}
	}
	switch a, b := cur.Book, p.in.Book; {
	case a == nil || b == nil:
		return a == nil && b == nil
	default:
		return a.ISBN == b.ISBN && a.Publisher == b.Publisher && a.Language == b.Language && a.Year == b.Year &&
			a.Pages == b.Pages && slices.Equal(a.Authors, b.Authors)
	}
}

// sameWords compares texts as a CSV file can carry them: a line break is a
// line break, whether typed as CR LF (a browser's form) or LF.
func sameWords(a, b string) bool {
	return a == b || strings.ReplaceAll(a, "\r\n", "\n") == strings.ReplaceAll(b, "\r\n", "\n")
}

// ---- Writing ----

// applyImport writes a plan inside tx and returns the ids of the products
// created and updated.
func applyImport(ctx context.Context, tx db.Querier, pl *importPlan, now time.Time, progress func(done int)) ([]int64, error) {
	const chunk = 500
	var changed []int64
	done, reported := pl.report.Rows-plannedRows(pl), 0 // the rows of unchanged products are done
	step := func(n int) {
		done += n
		if done-reported >= 250 {
			progress(done)
			reported = done
		}
	}
	for start := 0; start < len(pl.creates); start += chunk {
		items := pl.creates[start:min(start+chunk, len(pl.creates))]
		explicit := make([]bool, len(items))
		for i := range explicit {
			explicit[i] = true
		}
		if err := assignSlugs(ctx, tx, items, explicit); err != nil {
			return nil, err
		}
		ids, err := insertProducts(ctx, tx, items, now)
		if err != nil {
			return nil, err
		}
		changed = append(changed, ids...)
		for _, p := range items {
			step(pl.rows[p.in.Slug])
		}
	}
	for start := 0; start < len(pl.updates); start += chunk {
		items := pl.updates[start:min(start+chunk, len(pl.updates))]
		if err := updateProducts(ctx, tx, items, now); err != nil {
			return nil, err
		}
		for _, u := range items {
			changed = append(changed, u.id)
			step(pl.rows[u.p.in.Slug])
		}
	}
	progress(done)
	return changed, nil
}

func plannedRows(pl *importPlan) int {
	n := 0
	for _, p := range pl.creates {
		n += pl.rows[p.in.Slug]
	}
	for _, u := range pl.updates {
		n += pl.rows[u.p.in.Slug]
	}
	return n
}

// updateProducts rewrites existing products: their row, their new and
// changed variants (an upsert by SKU: a variant keeps its id, which carts
// and orders point at), their texts, certifications and book details when
// they changed, and their search entries when those change (a new stock
// alone does not).
func updateProducts(ctx context.Context, tx db.Querier, items []productUpdate, now time.Time) error {
	var values strings.Builder
	args := make([]any, 0, 5*len(items)+2)
	for i, u := range items {
		if i > 0 {
			values.WriteString(", ")
		}
		values.WriteString("(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT))")
		args = append(args, u.id, u.p.categoryID, u.p.region, u.p.in.TaxClass, string(u.p.in.Status))
	}
	args = append(args, now, now)
	_, err := tx.ExecContext(ctx, `WITH t (id, category_id, region, tax_class, status) AS (VALUES `+values.String()+`)
		UPDATE products SET category_id = t.category_id, region = t.region, tax_class = t.tax_class, status = t.status,
			updated_at = ?, published_at = CASE WHEN t.status = 'published' THEN COALESCE(products.published_at, ?) ELSE products.published_at END
		FROM t WHERE products.id = t.id`, args...)
	if err != nil {
		return mapWriteErr(err)
	}
	if err := upsertVariants(ctx, tx, items); err != nil {
		return err
	}
	var detailIDs []any
	var pids []int64
	var preps []prepared
	var docs []search.Doc
	for _, u := range items {
		switch {
		case u.details:
			detailIDs = append(detailIDs, u.id)
			pids, preps = append(pids, u.id), append(preps, u.p)
			preps[len(preps)-1].variantsWritten = true
		case u.reindex:
			p := u.p
			docs = append(docs, indexDoc(Product{ID: u.id, VendorID: p.vendorID, Region: p.region, Status: p.in.Status, Texts: p.in.Texts,
				Variants: p.in.Variants, Certifications: p.in.Certifications, Book: p.in.Book}, p.vendorKind, p.categoryPath, p.vendorNames))
		}
	}
	if len(detailIDs) > 0 {
		// Photos are not in the file: their rows stay as they are.
		in := ` WHERE product_id IN (` + db.Placeholders(len(detailIDs)) + `)`
		for _, table := range []string{"product_texts", "certifications", "books"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+in, detailIDs...); err != nil {
				return err
			}
		}
		if err := insertDetails(ctx, tx, pids, preps); err != nil {
			return err
		}
	}
	return search.Index(ctx, tx, docs)
}

// upsertVariants writes new and changed variants with multi-row
// INSERT … ON CONFLICT (product_id, sku) DO UPDATE. Existing variants go
// first, in id order: on PostgreSQL rows are locked in that order, the order
// a checkout locks them in, so the two never deadlock.
func upsertVariants(ctx context.Context, tx db.Querier, items []productUpdate) error {
	type row struct {
		productID int64
		w         variantWrite
	}
	var rows []row
	for _, u := range items {
		for _, w := range u.variants {
			rows = append(rows, row{u.id, w})
		}
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		if (a.w.v.ID == 0) != (b.w.v.ID == 0) {
			if a.w.v.ID == 0 {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.w.v.ID, b.w.v.ID)
	})
	const per = 1000 // 11 parameters each
	mark := "(" + db.Placeholders(11) + ")"
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		var b strings.Builder
		b.WriteString(`INSERT INTO variants (product_id, sku, label, price_amount, price_currency, stock, weight_grams,
			length_mm, width_mm, height_mm, position) VALUES `)
		args := make([]any, 0, 11*len(chunk))
		for i, r := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(mark)
			v := r.w.v
			args = append(args, r.productID, v.SKU, v.Label, v.Price.Amount, v.Price.Currency, v.Stock, v.WeightGrams,
				v.LengthMM, v.WidthMM, v.HeightMM, r.w.pos)
		}
		b.WriteString(` ON CONFLICT (product_id, sku) DO UPDATE SET label = excluded.label, price_amount = excluded.price_amount,
			price_currency = excluded.price_currency, stock = excluded.stock, weight_grams = excluded.weight_grams,
			length_mm = excluded.length_mm, width_mm = excluded.width_mm, height_mm = excluded.height_mm,
			position = excluded.position`)
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return mapWriteErr(err)
		}
	}
	return nil
}

// ---- Export ----

// ExportCSV writes every product of vendorID in the layout ImportCSV reads
// (docs/PRODUCTS_CSV.md): a UTF-8 byte-order mark (so that Excel shows
// Arabic and Tifinagh), "," between cells, CR LF line ends, one row per
// variant with the product's columns repeated on each row. Importing the
// file back changes nothing. Who may: as ImportCSV.
func (s *Service) ExportCSV(ctx context.Context, by auth.User, vendorID int64, w io.Writer) error {
	if err := s.csvAccess(ctx, by, vendorID); err != nil {
		return err
	}
	cw := newCSVWriter(w)
	if err := cw.header(); err != nil {
		return fmt.Errorf("export products: %w", err)
	}
	q := s.db.Read()
	for after := int64(0); ; {
		items, err := loadProducts(ctx, q, productSelect+` WHERE p.vendor_id = ? AND p.id > ? ORDER BY p.id LIMIT 1000`, vendorID, after)
		if err != nil {
			return fmt.Errorf("export products: %w", err)
		}
		if len(items) == 0 {
			break
		}
		for _, p := range items {
			if err := cw.product(p); err != nil {
				return fmt.Errorf("export products: %w", err)
			}
		}
		after = items[len(items)-1].ID
	}
	cw.w.Flush()
	if err := cw.w.Error(); err != nil {
		return fmt.Errorf("export products: %w", err)
	}
	return nil
}

// CSVTemplate writes the file the portal offers for download: the header
// and a few example rows (an argan oil in two sizes, a book) showing how
// cells are written. testdata/products-template.csv is a copy of it.
func CSVTemplate(w io.Writer) error {
	cw := newCSVWriter(w)
	if err := cw.header(); err != nil {
		return err
	}
	for _, p := range templateProducts {
		if err := cw.product(p); err != nil {
			return err
		}
	}
	cw.w.Flush()
	return cw.w.Error()
}

var templateProducts = []Product{
	{
		Slug: "huile-argan-bio", CategorySlug: "argan-oil", Status: Draft, TaxClass: "standard", Region: "souss-massa",
		Texts: map[string]Texts{
			"ar":  {Title: "زيت الأركان العضوي", Description: "زيت أركان معصور على البارد من تعاونية نسائية."},
			"zgh": {Title: "ⴰⵣⵉⵜ ⵏ ⵡⴰⵔⴳⴰⵏ"},
			"fr":  {Title: "Huile d’argan bio", Description: "Pressée à froid par une coopérative de femmes."},
			"en":  {Title: "Organic argan oil"},
		},
		Variants: []Variant{
			{SKU: "ARG-100", Label: "100 ml", Price: money.Dirhams(12050), Stock: 40, WeightGrams: 180},
			{SKU: "ARG-250", Label: "250 ml", Price: money.Dirhams(25000), Stock: 12, WeightGrams: 380},
		},
		Certifications: []Certification{
			{Kind: "organic", Issuer: "Ecocert", Number: "MA-BIO-123", ExpiresOn: "2027-06-30"},
			{Kind: "onssa", Issuer: "ONSSA", Number: "AS.12.34"},
		},
	},
	{
		Slug: "la-boite-a-merveilles", CategorySlug: "literature", Status: Draft, TaxClass: "exempt", Region: "casablanca-settat",
		Texts:    map[string]Texts{"fr": {Title: "La boîte à merveilles"}, "ar": {Title: "صندوق العجائب"}},
		Variants: []Variant{{SKU: "BK-BAM-1", Price: money.Dirhams(6000), Stock: 5, WeightGrams: 300}},
		Book:     &Book{ISBN: "9782070368228", Authors: []string{"Ahmed Sefrioui"}, Publisher: "Dar Toubkal", Language: "fr", Year: 1954, Pages: 224},
	},
}

type csvWriter struct {
	out io.Writer
	w   *csv.Writer
}

func newCSVWriter(w io.Writer) *csvWriter {
	cw := &csvWriter{out: w, w: csv.NewWriter(w)}
	cw.w.UseCRLF = true
	return cw
}

func (cw *csvWriter) header() error {
	if _, err := cw.out.Write(bomUTF8); err != nil {
		return err
	}
	return cw.w.Write(csvColumns)
}

// product writes one row per variant of p, the product's columns on each.
func (cw *csvWriter) product(p Product) error {
	rec := make([]string, numCols)
	rec[colProduct] = p.Slug
	rec[colCategory] = p.CategorySlug
	rec[colStatus] = string(p.Status)
	rec[colTaxClass] = p.TaxClass
	rec[colRegion] = p.Region
	for i, l := range i18n.Locales {
		rec[colTitle+col(i)] = guard(p.Texts[l].Title)
		rec[colDescription+col(i)] = guard(p.Texts[l].Description)
	}
	rec[colCertifications] = guard(formatCertifications(p.Certifications))
	if b := p.Book; b != nil {
		authors := make([]string, len(b.Authors))
		for i, a := range b.Authors {
			authors[i] = escape(a)
		}
		rec[colISBN], rec[colAuthors], rec[colPublisher], rec[colLanguage] = b.ISBN, guard(strings.Join(authors, "|")), guard(b.Publisher), b.Language
		rec[colYear], rec[colPages] = nonZero(b.Year), nonZero(b.Pages)
	}
	variants := p.Variants
	if len(variants) == 0 {
		variants = []Variant{{}} // keep the product in the file; importing it back asks for a variant
	}
	for _, v := range variants {
		rec[colSKU], rec[colLabel] = v.SKU, guard(v.Label)
		rec[colPrice], rec[colStock], rec[colWeight] = "", strconv.Itoa(v.Stock), strconv.Itoa(v.WeightGrams)
		if v.SKU != "" {
			rec[colPrice] = money.Decimal(money.Dirhams(v.Price.Amount))
		}
		rec[colLength], rec[colWidth], rec[colHeight] = strconv.Itoa(v.LengthMM), strconv.Itoa(v.WidthMM), strconv.Itoa(v.HeightMM)
		if err := cw.w.Write(rec); err != nil {
			return err
		}
	}
	return nil
}

func nonZero(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// guard keeps a spreadsheet from reading a text as a formula ("=…", "+…",
// "-…", "@…"): it is written after an apostrophe, which unguard removes.
func guard(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

func unguard(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@", rune(s[1])) {
		return s[1:]
	}
	return s
}

// formatCertifications writes kind:issuer:number:expires, several separated
// by "|"; ":", "|" and "\" inside a value are escaped with "\".
func formatCertifications(cs []Certification) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = escape(c.Kind) + ":" + escape(c.Issuer) + ":" + escape(c.Number) + ":" + c.ExpiresOn
	}
	return strings.Join(parts, "|")
}

// parseCertifications reads what formatCertifications writes; the number
// and the date may be left out ("organic:Ecocert"). ok is false when an
// entry has fewer than two or more than four parts.
func parseCertifications(s string) ([]Certification, bool) {
	out := []Certification{}
	for _, entry := range splitEscaped(s, '|') {
		if strings.TrimSpace(entry) == "" {
			continue
		}
		parts := splitEscaped(entry, ':')
		if len(parts) < 2 || len(parts) > 4 {
			return out, false
		}
		parts = append(parts, "", "")
		out = append(out, Certification{Kind: strings.ToLower(strings.TrimSpace(unescape(parts[0]))), Issuer: text.Clean(unescape(parts[1])),
			Number: text.Clean(unescape(parts[2])), ExpiresOn: strings.TrimSpace(unescape(parts[3]))})
	}
	return out, true
}

var escaper = strings.NewReplacer(`\`, `\\`, `:`, `\:`, `|`, `\|`)

func escape(s string) string { return escaper.Replace(s) }

// splitEscaped splits s at each sep not escaped by "\", keeping the escapes.
func splitEscaped(s string, sep byte) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case sep:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
