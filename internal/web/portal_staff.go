package web

func (s *Server) portalStaffRoutes() []boRoute { return nil }
