/** Versions reported to clients. Rasa-compatible tools compare against a 3.6 value. */
export const PARLEY_VERSION = '0.1.0';
export const RASA_COMPATIBLE_VERSION = '3.6.21';
export const MINIMUM_COMPATIBLE_VERSION = '3.6.0';
