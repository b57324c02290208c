package order

import (
	"context"
	"fmt"
	"strings"

	"souk/internal/db"
	"souk/internal/i18n"
	"souk/internal/notify"
)

// tell queues the e-mail that tells the customer what happened to an order
// (placed, paid, shipped, delivered, cancelled), in their language, in the
// transaction of the change: it is sent if and only if the change commits,
// and once (the key names the order and the event).
func (s *Service) tell(ctx context.Context, tx db.Querier, o Order, event string) error {
	return notify.Enqueue(ctx, tx, s.now().UTC(), s.mail(o, event))
}

// mail is the e-mail tell sends.
func (s *Service) mail(o Order, event string) notify.Message {
	loc := o.Locale
	args := map[string]any{"number": o.Number, "total": i18n.FormatMoney(loc, o.Total), "name": o.Address.Name}
	var b strings.Builder
	b.WriteString(i18n.T(loc, "mail.greeting", args) + "\n\n")
	b.WriteString(i18n.T(loc, "mail."+event+".body", args) + "\n\n")
	for _, v := range o.Vendors {
		for _, l := range v.Lines {
			fmt.Fprintf(&b, "- %d × %s: %s\n", l.Quantity, l.Title, i18n.FormatMoney(loc, l.Total))
		}
		if event == "shipped" && v.Tracking != "" {
			b.WriteString(i18n.T(loc, "mail.tracking", map[string]any{"carrier": v.Carrier, "tracking": v.Tracking}) + "\n")
		}
	}
	b.WriteString("\n" + i18n.T(loc, "mail.total", args) + "\n")
	b.WriteString(i18n.T(loc, "mail.follow", nil) + "\n" + s.OrderURL(o) + "\n")
	return notify.Message{
		Key:     "order:" + o.Number + ":" + event,
		To:      o.Email,
		Subject: i18n.T(loc, "mail."+event+".subject", args),
		Text:    b.String(),
	}
}
