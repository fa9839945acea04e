//! Days: Vietnam's lunar calendar, public holidays and working days.
