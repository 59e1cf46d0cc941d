// The one way the dashboard talks to the server: JSON over /api/v1 with the access token,
// a single refresh-and-retry on 401, and errors as ApiError carrying the server's RFC 9457
// problem (its stable `code` and its human `detail`).

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  status: number;
  code: string;
  title?: string;
  detail?: string;
  errors?: FieldError[];
  findings?: { severity: string; code: string; step?: string; message: string }[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
  }
}

export interface User {
  id: number;
  email: string;
  name: string;
  role: "admin" | "manager" | "agent";
}

interface TokenPair {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  user: User;
}

// The refresh token survives a reload of this tab (sessionStorage), not the closing of
// the browser; the access token lives only in memory.
const REFRESH_KEY = "vaarta.refresh";
let accessToken: string | null = null;
let refreshing: Promise<boolean> | null = null;
let onSignedOut: (() => void) | null = null;

export function setSignedOutHandler(handler: () => void) {
  onSignedOut = handler;
}

export function currentAccessToken(): string | null {
  return accessToken;
}

function keep(pair: TokenPair) {
  accessToken = pair.access_token;
  sessionStorage.setItem(REFRESH_KEY, pair.refresh_token);
}

export async function login(email: string, password: string): Promise<User> {
  const pair = await request<TokenPair>("POST", "/auth/login", { email, password }, false);
  keep(pair);
  return pair.user;
}

export async function logout(): Promise<void> {
  const refresh = sessionStorage.getItem(REFRESH_KEY);
  accessToken = null;
  sessionStorage.removeItem(REFRESH_KEY);
  if (refresh) await request("POST", "/auth/logout", { refresh_token: refresh }, false).catch(() => {});
}

// After a reload: trade the kept refresh token for a new pair.
export async function resume(): Promise<User | null> {
  if (!(await refresh())) return null;
  const me = await request<{ user?: User }>("GET", "/auth/me");
  return me.user ?? null;
}

async function refresh(): Promise<boolean> {
  const token = sessionStorage.getItem(REFRESH_KEY);
  if (!token) return false;
  if (!refreshing) {
    refreshing = request<TokenPair>("POST", "/auth/refresh", { refresh_token: token }, false)
      .then((pair) => {
        keep(pair);
        return true;
      })
      .catch(() => {
        sessionStorage.removeItem(REFRESH_KEY);
        accessToken = null;
        return false;
      })
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

export type Query = Record<string, string | number | boolean | undefined | null | string[]>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) value.forEach((v) => params.append(key, v));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function send(method: string, path: string, body: unknown, auth: boolean): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (auth && accessToken) headers.Authorization = `Bearer ${accessToken}`;
  let payload: BodyInit | undefined;
  if (body instanceof FormData || body instanceof Blob) {
    payload = body;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  return fetch(`/api/v1${path}`, { method, headers, body: payload });
}

async function toError(response: Response): Promise<ApiError> {
  let problem: Problem = { status: response.status, code: "http_error" };
  try {
    const parsed = await response.json();
    problem = { ...problem, ...parsed, status: response.status };
  } catch {
    problem.detail = response.statusText;
  }
  return new ApiError(problem);
}

export async function request<T = unknown>(
  method: string,
  path: string,
  body?: unknown,
  auth = true,
): Promise<T> {
  let response = await send(method, path, body, auth);
  if (response.status === 401 && auth) {
    if (await refresh()) {
      response = await send(method, path, body, auth);
    } else {
      onSignedOut?.();
    }
  }
  if (!response.ok) throw await toError(response);
  if (response.status === 204) return undefined as T;
  const type = response.headers.get("Content-Type") || "";
  if (type.includes("json")) return (await response.json()) as T;
  return (await response.text()) as unknown as T;
}

// Downloads that need the token (report files, error reports, recordings).
export async function fetchBlob(path: string): Promise<Blob> {
  let response = await send("GET", path, undefined, true);
  if (response.status === 401 && (await refresh())) response = await send("GET", path, undefined, true);
  if (!response.ok) throw await toError(response);
  return response.blob();
}

// Fetches a file with the token and hands it to the browser as a download named `fileName`.
export async function downloadFile(path: string, fileName: string): Promise<void> {
  const url = URL.createObjectURL(await fetchBlob(path));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const get = <T>(path: string, query?: Query) => request<T>("GET", withQuery(path, query));
export const post = <T>(path: string, body?: unknown) => request<T>("POST", path, body);
export const patch = <T>(path: string, body?: unknown) => request<T>("PATCH", path, body);
export const put = <T>(path: string, body?: unknown) => request<T>("PUT", path, body);
export const del = <T>(path: string) => request<T>("DELETE", path);
