package web

// The vendor portal's money pages: balance, payouts, monthly statement.

func (s *Server) portalPayoutRoutes() []boRoute {
	return nil
}
