"""Pure rules of the constitution: arithmetic, lists, schedules, typed data. No I/O."""
