package web

// The console's payouts: what souk owes each vendor, runs, batches and
// their bank files.

func (s *Server) adminPayoutRoutes() []boRoute {
	return nil
}
