package api

import (
	"errors"
	"testing"

	"souk/internal/errs"
)

// Bad input names the field with its place in arrays, as the caller wrote it.
func TestDecodeNamesTheFieldWithItsIndex(t *testing.T) {
	type product struct {
		Category string `json:"category"`
		Variants []struct {
			SKU   string `json:"sku"`
			Price *struct {
				Amount int64 `json:"amount"`
			} `json:"price"`
		} `json:"variants"`
		Texts map[string]struct {
			Title string `json:"title"`
		} `json:"texts"`
		Book *struct {
			Authors []string `json:"authors"`
		} `json:"book"`
	}
	for _, c := range []struct{ body, field, key string }{
		{`{"category":"x","variants":[{"sku":"a","price":{"amount":"100"}}]}`, "variants[0].price.amount", "field.type"},
		{`{"variants":[{"sku":"a"},{"sku":"b","price":{"amount":1.5}}]}`, "variants[1].price.amount", "field.integer"},
		{`{"variants":[{"sku":"a"},{"sku":"b","price":100}]}`, "variants[1].price", "field.type"},
		{`{"variants":[{"sku":"a","colour":"red"}]}`, "variants[0].colour", "field.unknown"},
		{`{"texts":{"fr":{"title":"x","subtitle":"y"}}}`, "texts.fr.subtitle", "field.unknown"},
		{`{"book":{"authors":["a",3]}}`, "book.authors[1]", "field.type"},
		{`{"category":7}`, "category", "field.type"},
		{`{"colour":"red"}`, "colour", "field.unknown"},
	} {
		var v product
		err := decodeBytes([]byte(c.body), &v)
		var e *errs.Error
		if !errors.As(err, &e) || e.Fields[c.field] != c.key {
			t.Errorf("%s: %v (fields %v), want %s: %s", c.body, err, fieldsOf(e), c.field, c.key)
		}
	}
}

func fieldsOf(e *errs.Error) map[string]string {
	if e == nil {
		return nil
	}
	return e.Fields
}
