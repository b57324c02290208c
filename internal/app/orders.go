package app

import (
	"context"
	"net/http"
	"strings"
	"time"

	"souk/internal/notify"
	"souk/internal/order"
	"souk/internal/payment/cmi"
	"souk/internal/payment/stripepay"
)

// The built-in CMI simulator's merchant credentials: public on purpose, it
// moves no money.
const (
	simulatorClientID = "600000000"
	simulatorStoreKey = "SOUK-SIMULATOR-KEY"
	simulatorPrefix   = "/cmi-simulator"
)

// gateways builds the card providers from the configuration; base is the
// address CMI's callbacks and return pages reach souk at.
func (a *App) gateways(base string) order.Gateways {
	g := order.Gateways{BaseURL: base}
	switch {
	case a.Config.CMIClientID != "":
		g.CMI = &cmi.Config{ClientID: a.Config.CMIClientID, StoreKey: a.Config.CMIStoreKey, GatewayURL: a.Config.CMIGatewayURL}
	case a.simulator():
		g.CMI = &cmi.Config{ClientID: simulatorClientID, StoreKey: simulatorStoreKey,
			GatewayURL: strings.TrimRight(base, "/") + simulatorPrefix + "/fim/est3Dgate"}
	}
	if a.Config.StripeSecretKey != "" {
		g.Stripe = stripepay.New(stripepay.Config{SecretKey: a.Config.StripeSecretKey, WebhookSecret: a.Config.StripeWebhookSecret,
			BaseURL: a.Config.StripeAPIURL})
	}
	return g
}

// simulator: a demo souk without a CMI contract pays by card against the
// built-in simulator, so the whole journey can be tried; a real marketplace
// (--no-demo) never does.
func (a *App) simulator() bool { return a.Config.CMIClientID == "" && !a.Config.NoDemo }

// mountSimulator serves the CMI simulator when it is in use.
func (a *App) mountSimulator(mux *http.ServeMux) {
	if !a.simulator() {
		return
	}
	sim := cmi.Simulator{ClientID: simulatorClientID, StoreKey: simulatorStoreKey, Log: a.Log}
	mux.Handle(simulatorPrefix+"/", http.StripPrefix(simulatorPrefix, sim))
}

// mailSender is the SMTP server, or the log when none is configured.
func (a *App) mailSender() (notify.Sender, error) {
	if a.Config.SMTPURL == "" {
		return notify.LogSender{Log: a.Log}, nil
	}
	return notify.NewSMTPSender(a.Config.SMTPURL)
}

// runBackground starts the jobs every node runs until ctx ends: sending
// queued e-mails, giving back the stock of card orders left unpaid, and the
// scheduled payouts. All are safe on several nodes at once.
func (a *App) runBackground(ctx context.Context) error {
	sender, err := a.mailSender()
	if err != nil {
		return err
	}
	go a.Payouts.RunSchedule(ctx, a.payoutTimes, time.Minute, a.Log)
	w := &notify.Worker{DB: a.DB, Sender: sender, From: a.Config.MailFrom, Log: a.Log}
	go w.Run(ctx, 2*time.Second)
	go a.Orders.RunExpiry(ctx, 30*time.Second, a.Log)
	return nil
}

// UseAddress tells the payment gateways and e-mails where souk is reached, for tests
// that serve the handler on an address of their own (httptest).
func (a *App) UseAddress(url string) { a.useBaseURL(url) }
