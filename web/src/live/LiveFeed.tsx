import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { currentAccessToken } from "../api/client";

// One WebSocket per tab to /api/v1/live. The server pushes; the dashboard never polls.
// Call turns are kept per call for the live monitor; campaign and import events refresh the
// queries that show them, so no page needs a reload to show new data.

export interface CallTurn {
  attempt_id: number;
  campaign_id: number;
  lead_id: number;
  speaker: string;
  text: string;
  language?: string;
  intent?: string;
  step?: string;
  confidence?: number;
  sentiment?: string;
  sentiment_score?: number;
}

export interface LiveCall {
  attemptId: number;
  campaignId: number;
  leadId: number;
  turns: CallTurn[];
  lastAt: number;
}

interface LiveState {
  connected: boolean;
  calls: LiveCall[];
}

const LiveContext = createContext<LiveState>({ connected: false, calls: [] });
const MAX_CALLS = 200;
// Hundreds of calls speak several turns a second between them: the overview's counts are
// refreshed at most this often, not once per turn.
const OVERVIEW_REFRESH_MS = 5_000;

export function LiveProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [connected, setConnected] = useState(false);
  const [calls, setCalls] = useState<LiveCall[]>([]);
  const stopped = useRef(false);

  useEffect(() => {
    stopped.current = false;
    let socket: WebSocket | null = null;
    let retry = 0;
    let timer: number | undefined;
    let overviewRefreshedAt = 0;

    const onTurn = (turn: CallTurn) => {
      setCalls((previous) => {
        const now = Date.now();
        const found = previous.find((c) => c.attemptId === turn.attempt_id);
        const updated: LiveCall = found
          ? { ...found, turns: [...found.turns, turn], lastAt: now }
          : { attemptId: turn.attempt_id, campaignId: turn.campaign_id, leadId: turn.lead_id, turns: [turn], lastAt: now };
        const others = previous.filter((c) => c.attemptId !== turn.attempt_id);
        return [updated, ...others].slice(0, MAX_CALLS);
      });
    };

    const connect = () => {
      const token = currentAccessToken();
      if (!token) {
        timer = window.setTimeout(connect, 1000);
        return;
      }
      const scheme = location.protocol === "https:" ? "wss" : "ws";
      socket = new WebSocket(`${scheme}://${location.host}/api/v1/live?access_token=${encodeURIComponent(token)}`);
      socket.onopen = () => {
        retry = 0;
        setConnected(true);
      };
      socket.onmessage = (message) => {
        let event: { topic: string; data: Record<string, unknown> };
        try {
          event = JSON.parse(message.data as string);
        } catch {
          return;
        }
        if (event.topic === "calls" && event.data.type === "call.turn") onTurn(event.data as unknown as CallTurn);
        if (event.topic === "campaigns") void queryClient.invalidateQueries({ queryKey: ["campaigns"] });
        if (event.topic === "import") void queryClient.invalidateQueries({ queryKey: ["imports"] });
        if (event.topic === "calls" && Date.now() - overviewRefreshedAt > OVERVIEW_REFRESH_MS) {
          overviewRefreshedAt = Date.now();
          void queryClient.invalidateQueries({ queryKey: ["overview"] });
        }
      };
      socket.onclose = () => {
        setConnected(false);
        if (stopped.current) return;
        retry = Math.min(retry + 1, 6);
        timer = window.setTimeout(connect, 500 * 2 ** retry);
      };
    };
    connect();
    return () => {
      stopped.current = true;
      window.clearTimeout(timer);
      socket?.close();
    };
  }, [queryClient]);

  return <LiveContext.Provider value={{ connected, calls }}>{children}</LiveContext.Provider>;
}

export function useLive(): LiveState {
  return useContext(LiveContext);
}
