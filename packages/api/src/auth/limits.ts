// Rate limits of the sign-in, sign-up and event endpoints, in one place so docs and code agree.
import type { RateLimitRule } from '@dtss/db';

const MINUTE = 60_000;

/** Sign-in attempts per email and client IP. */
export const LOGIN_PER_EMAIL_IP: RateLimitRule = { limit: 10, windowMs: 15 * MINUTE };
/** Sign-in attempts per email from anywhere: bounds guessing spread over many IPs. */
export const LOGIN_PER_EMAIL: RateLimitRule = { limit: 50, windowMs: 15 * MINUTE };
/**
 * Sign-in attempts per client IP, whatever the email: bounds one address trying many accounts
 * (credential stuffing), each attempt costing a scrypt hash (~32 MiB) on the server.
 */
export const LOGIN_PER_IP: RateLimitRule = { limit: 300, windowMs: 15 * MINUTE };
/** Accounts created per client IP. */
export const SIGNUP_PER_IP: RateLimitRule = { limit: 10, windowMs: 60 * MINUTE };
/** Default events a team may publish per minute (DTSS_EVENTS_PER_MINUTE overrides). */
export const DEFAULT_EVENTS_PER_MINUTE = 600;
