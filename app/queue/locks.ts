// PostgreSQL advisory lock ids the queue takes, in one place so that two modules never pick the
// same number for different things.

/** Serialises bookings of the app-wide hourly pass across processes (SQLite serialises writers). */
export const APP_WIDE_BOOKING_LOCK = 4242003;
