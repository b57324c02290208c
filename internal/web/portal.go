package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"souk/internal/i18n"
	"souk/internal/money"
	"souk/internal/order"
)

// The vendor portal's home: the dashboard (sales today, this week, this
// month, orders waiting, a 30-day chart drawn as SVG on the server) and the
// live sales feed (server-sent events: each sale appears as it is placed,
// with the channel it came through).

func (s *Server) portalRoutes() []boRoute {
	return []boRoute{
		{Method: "GET", Pattern: "/vendor/{$}", Access: vendorPeople, Handle: s.dashboard, Nav: "bo.nav_dashboard"},
		{Method: "GET", Pattern: "/vendor/live", Access: vendorPeople, Handle: s.liveSales, Nav: "bo.nav_live"},
		{Method: "GET", Pattern: "/vendor/live/events", Access: vendorPeople, Handle: s.liveEvents},
	}
}

// now is the server's clock (tests use the real one).
func now() time.Time { return time.Now() }

type saleView struct {
	ID                                      int64
	Number, Channel, Status, Amount, Placed string
	Items                                   int
}

func saleOf(loc string, sl order.Sale) saleView {
	return saleView{ID: sl.ID, Number: sl.Number, Channel: i18n.T(loc, "bo.channel_"+sl.Channel, nil),
		Status: i18n.T(loc, "shop.status."+string(sl.Status), nil), Amount: i18n.FormatMoney(loc, sl.Items),
		Placed: when(sl.At), Items: sl.Lines}
}

type dashboardData struct {
	Today, Week, Month string
	OrdersToday        int
	Waiting            int
	// What souk owes the vendor (the ledger): in total, payable now,
	// the next part to fall due and when, and what waits for delivery.
	Owed, Due, Undelivered string
	NextAmount, NextDate   string
	Chart                  chart
	Recent                 []saleView
	Welcome                bool
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, c bo) error {
	ctx := r.Context()
	sum, err := s.Orders.Summary(ctx, c.User, c.User.VendorID, now())
	if err != nil {
		return err
	}
	recent, err := s.Orders.Sales(ctx, c.User, c.User.VendorID, 0, 5)
	if err != nil {
		return err
	}
	balances, err := s.Ledger.VendorBalance(ctx, c.User, c.User.VendorID, now())
	if err != nil {
		return err
	}
	d := dashboardData{Today: i18n.FormatMoney(c.Loc, sum.Today), Week: i18n.FormatMoney(c.Loc, sum.Week),
		Month: i18n.FormatMoney(c.Loc, sum.Month), OrdersToday: sum.OrdersToday, Waiting: sum.Waiting,
		Chart: salesChart(c.Loc, sum.Days), Welcome: r.URL.Query().Has("welcome")}
	for _, sl := range recent {
		d.Recent = append(d.Recent, saleOf(c.Loc, sl))
	}
	mad := balances[0] // MAD comes first, always there
	d.Owed, d.Due, d.Undelivered = i18n.FormatMoney(c.Loc, mad.Total), i18n.FormatMoney(c.Loc, mad.Due), i18n.FormatMoney(c.Loc, mad.Undelivered)
	if len(mad.Pending) > 0 {
		d.NextAmount, d.NextDate = i18n.FormatMoney(c.Loc, mad.Pending[0].Amount), when(mad.Pending[0].DueAt)
	}
	return s.renderBO(w, r, c, http.StatusOK, "dashboard", i18n.T(c.Loc, "bo.nav_dashboard", nil), d)
}

// chart is a bar chart laid out on the server: the SVG needs no script and
// reads the same on a phone and in print.
type chart struct {
	Title         string
	Width, Height int
	Bars          []bar
	Max           string // the tallest bar's amount, the scale's top
	First, Last   string // the first and last days, under the axis
}

type bar struct {
	X, Y, W, H int
	Label      string // day and amount, for screen readers and tooltips
}

func salesChart(loc string, days []order.DaySales) chart {
	const width, height, top, bottom = 600, 200, 16, 20
	ch := chart{Title: i18n.T(loc, "bo.chart_30_days", nil), Width: width, Height: height}
	var peak int64
	for _, d := range days {
		peak = max(peak, d.Amount.Amount)
	}
	if len(days) == 0 {
		return ch
	}
	step := width / len(days)
	for i, d := range days {
		h := 0
		if peak > 0 {
			h = int(d.Amount.Amount * int64(height-top-bottom) / peak)
		}
		if d.Amount.Amount > 0 && h < 2 {
			h = 2 // a sale always shows
		}
		ch.Bars = append(ch.Bars, bar{X: i*step + 1, Y: height - bottom - h, W: step - 2, H: h,
			Label: d.Day.Format("02/01") + ": " + i18n.FormatMoney(loc, d.Amount) + " (" + strconv.Itoa(d.Orders) + ")"})
	}
	if peak > 0 {
		ch.Max = i18n.FormatMoney(loc, money.Money{Amount: peak, Currency: days[0].Amount.Currency})
	}
	ch.First, ch.Last = days[0].Day.Format("02/01"), days[len(days)-1].Day.Format("02/01")
	return ch
}

type liveData struct {
	Sales  []saleView
	LastID int64
}

func (s *Server) liveSales(w http.ResponseWriter, r *http.Request, c bo) error {
	sales, err := s.Orders.Sales(r.Context(), c.User, c.User.VendorID, 0, 30)
	if err != nil {
		return err
	}
	d := liveData{}
	for _, sl := range sales {
		d.Sales = append(d.Sales, saleOf(c.Loc, sl))
		d.LastID = max(d.LastID, sl.ID)
	}
	p := s.boPage(r, c, i18n.T(c.Loc, "bo.nav_live", nil), d)
	p.Script = s.bo.liveJS
	return s.writeBO(w, http.StatusOK, "live", p)
}

// liveEventsPoll is how often a live feed looks for new sales: the
// database is the one place every node sees, so it asks there.
var liveEventsPoll = 2 * time.Second

// liveStream is how long one event stream lasts before the browser
// reconnects (EventSource does, with Last-Event-ID): under the server's
// write timeout.
const liveStream = 45 * time.Second

// liveEvents streams the vendor's new sales as server-sent events, each
// with its ID so a reconnecting browser misses none.
func (s *Server) liveEvents(w http.ResponseWriter, r *http.Request, c bo) error {
	after, _ := strconv.ParseInt(r.Header.Get("Last-Event-ID"), 10, 64)
	if a, err := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64); err == nil && a > after {
		after = a
	}
	if after < 0 {
		after = 0
	}
	ctx := r.Context()
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.Header().Set("No-Gzip-Compression", "1") // gzhttp: each event must leave at once
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprint(w, "retry: 3000\n\n"); err != nil {
		return nil
	}
	_ = rc.Flush()
	tick := time.NewTicker(liveEventsPoll)
	defer tick.Stop()
	end := time.After(liveStream)
	for {
		sales, err := s.Orders.Sales(ctx, c.User, c.User.VendorID, after, 50)
		if err != nil {
			if ctx.Err() == nil {
				s.Log.Warn("live sales", "err", err)
			}
			return nil
		}
		for i := len(sales) - 1; i >= 0; i-- { // oldest first
			b, _ := json.Marshal(saleOf(c.Loc, sales[i]))
			if _, err := fmt.Fprintf(w, "id: %d\nevent: sale\ndata: %s\n\n", sales[i].ID, b); err != nil {
				return nil
			}
			after = sales[i].ID
		}
		if len(sales) == 0 {
			if _, err := fmt.Fprint(w, ": waiting\n\n"); err != nil {
				return nil
			}
		}
		if err := rc.Flush(); err != nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-end:
			return nil
		case <-tick.C:
		}
	}
}
