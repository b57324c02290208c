package web

func (s *Server) adminVendorRoutes() []boRoute { return nil }
