package auth

import (
	"context"
	"fmt"
	"strings"

	"souk/internal/db"
	"souk/internal/errs"
)

// CustomerFilter narrows the operators' list of customers.
type CustomerFilter struct {
	Q       string // part of the e-mail or the name
	Page    int    // from 1
	PerPage int    // 1..100, default 20
}

// CustomerPage is one page of customers, newest account first.
type CustomerPage struct {
	Customers []User
	Total     int
	Page      int
	PerPage   int
}

// Customers lists the accounts with the customer role, newest first;
// operators only (errs.Forbidden).
func (s *Service) Customers(ctx context.Context, by User, f CustomerFilter) (CustomerPage, error) {
	if !by.IsOperator() {
		return CustomerPage{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	f.Page = max(f.Page, 1)
	if f.PerPage < 1 {
		f.PerPage = 20
	}
	f.PerPage = min(f.PerPage, 100)
	where, args := ` WHERE role = 'customer'`, []any{}
	if q := strings.TrimSpace(f.Q); q != "" {
		pattern := "%" + db.LikeEscape(strings.ToLower(q)) + "%"
		where += ` AND (email LIKE ? ESCAPE '\' OR LOWER(name) LIKE ? ESCAPE '\')`
		args = append(args, pattern, pattern)
	}
	q := s.db.Read()
	page := CustomerPage{Page: f.Page, PerPage: f.PerPage, Customers: []User{}}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`+where, args...).Scan(&page.Total); err != nil {
		return CustomerPage{}, fmt.Errorf("list customers: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT `+userColumns+` FROM users`+where+` ORDER BY id DESC LIMIT ? OFFSET ?`,
		append(args, f.PerPage, (f.Page-1)*f.PerPage)...)
	if err != nil {
		return CustomerPage{}, fmt.Errorf("list customers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return CustomerPage{}, fmt.Errorf("list customers: %w", err)
		}
		page.Customers = append(page.Customers, u)
	}
	return page, rows.Err()
}

// Customer returns the customer account id; operators only
// (errs.Forbidden). An account that is not a customer's is errs.NotFound.
func (s *Service) Customer(ctx context.Context, by User, id int64) (User, error) {
	if !by.IsOperator() {
		return User{}, errs.E(errs.Forbidden, "error.forbidden")
	}
	u, err := s.UserByID(ctx, id)
	if err != nil {
		return User{}, err
	}
	if u.Role != RoleCustomer {
		return User{}, errs.NotFoundE("user")
	}
	return u, nil
}
