package web

// The console's book: the trial balance and commission revenue by period.

func (s *Server) adminLedgerRoutes() []boRoute {
	return nil
}
