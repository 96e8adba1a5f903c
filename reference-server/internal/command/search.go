package command

// search = "SEARCH" [SP "CHARSET" SP astring] 1*(SP search-key)
func (r *Reader) parseSearch(cmd *Command) error {
	if err := r.sp(); err != nil {
		return err
	}
	save := r.pos
	if kw, err := r.keyword("Search key"); err == nil && kw == "CHARSET" && r.peek() == ' ' {
		r.pos++
		cs, err := r.astringS("Charset name")
		if err != nil {
			return err
		}
		if cs == "" {
			return r.syntaxError("Charset name must not be empty")
		}
		cmd.Charset = cs
		if err := r.sp(); err != nil {
			return err
		}
	} else {
		r.pos = save
	}
	for {
		k, err := r.searchKey()
		if err != nil {
			return err
		}
		cmd.Search = append(cmd.Search, k)
		if r.atEOL() {
			return nil
		}
		if err := r.sp(); err != nil {
			return err
		}
	}
}

// searchKey reads one search-key of RFC 3501 section 9.
func (r *Reader) searchKey() (*SearchKey, error) {
	if err := r.item(); err != nil {
		return nil, err
	}
	c := r.peek()
	switch {
	case r.atEOL():
		return nil, r.syntaxError("Search key expected, found end of line")
	case c == '(':
		// "(" search-key *(SP search-key) ")"
		r.pos++
		if err := r.enter(); err != nil {
			return nil, err
		}
		k := &SearchKey{Key: "AND"}
		for {
			sub, err := r.searchKey()
			if err != nil {
				return nil, err
			}
			k.Sub = append(k.Sub, sub)
			if r.peek() == ')' && !r.atEOL() {
				r.pos++
				r.leave()
				return k, nil
			}
			if err := r.sp(); err != nil {
				return nil, err
			}
		}
	case c == '*' || isDigit(c):
		set, err := r.sequenceSet()
		if err != nil {
			return nil, err
		}
		return &SearchKey{Key: "SEQ", Set: set}, nil
	}
	name, err := r.keyword("Search key")
	if err != nil {
		return nil, err
	}
	k := &SearchKey{Key: name}
	switch name {
	case "ALL", "ANSWERED", "DELETED", "DRAFT", "FLAGGED", "NEW", "OLD", "RECENT", "SEEN",
		"UNANSWERED", "UNDELETED", "UNDRAFT", "UNFLAGGED", "UNSEEN":
		return k, nil
	case "BCC", "BODY", "CC", "FROM", "SUBJECT", "TEXT", "TO":
		if err := r.sp(); err != nil {
			return nil, err
		}
		if k.Value, err = r.astring(name + " search string"); err != nil {
			return nil, err
		}
		k.Value = append([]byte(nil), k.Value...)
	case "HEADER":
		if err := r.sp(); err != nil {
			return nil, err
		}
		if k.Field, err = r.astringS("Header field name"); err != nil {
			return nil, err
		}
		if err := r.sp(); err != nil {
			return nil, err
		}
		if k.Value, err = r.astring("HEADER search string"); err != nil {
			return nil, err
		}
		k.Value = append([]byte(nil), k.Value...)
	case "KEYWORD", "UNKEYWORD":
		if err := r.sp(); err != nil {
			return nil, err
		}
		// flag-keyword = atom
		if k.Flag, err = r.atom("Keyword"); err != nil {
			return nil, err
		}
	case "BEFORE", "ON", "SINCE", "SENTBEFORE", "SENTON", "SENTSINCE":
		if err := r.sp(); err != nil {
			return nil, err
		}
		if k.Date, err = r.date(); err != nil {
			return nil, err
		}
	case "LARGER", "SMALLER":
		if err := r.sp(); err != nil {
			return nil, err
		}
		if k.Number, err = r.number(name + " size"); err != nil {
			return nil, err
		}
	case "UID":
		if err := r.sp(); err != nil {
			return nil, err
		}
		if k.Set, err = r.sequenceSet(); err != nil {
			return nil, err
		}
	case "NOT":
		if err := r.sp(); err != nil {
			return nil, err
		}
		if err := r.enter(); err != nil {
			return nil, err
		}
		sub, err := r.searchKey()
		if err != nil {
			return nil, err
		}
		r.leave()
		k.Sub = []*SearchKey{sub}
	case "OR":
		if err := r.enter(); err != nil {
			return nil, err
		}
		for i := 0; i < 2; i++ {
			if err := r.sp(); err != nil {
				return nil, err
			}
			sub, err := r.searchKey()
			if err != nil {
				return nil, err
			}
			k.Sub = append(k.Sub, sub)
		}
		r.leave()
	case "CHARSET":
		return nil, r.syntaxError("CHARSET must come first, before any search key")
	default:
		return nil, r.syntaxError("Unknown search key %s", name)
	}
	return k, nil
}
