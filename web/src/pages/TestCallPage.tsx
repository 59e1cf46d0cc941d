import { useState, type FormEvent } from "react";
import { Alert, Badge, Button, Card, Group, Paper, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { get, post } from "../api/client";
import type { Campaign, SimulatedTestCall, TestCallTurn } from "../api/types";
import { ContentLanguageSelect } from "../components/ContentLanguageSelect";
import { Failed, Loading } from "../components/States";

interface Said {
  who: "agent" | "you" | "persona";
  lines: string[];
  turn?: TestCallTurn["turn"];
}

// Talk to a campaign's agent by typing, before launching it: the same engine, script and
// knowledge base as a real call; nothing is dialled and nothing is written.
export default function TestCallPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const campaign = useQuery({ queryKey: ["campaigns", id], queryFn: () => get<Campaign>(`/campaigns/${id}`) });
  const [language, setLanguage] = useState("en");
  const [leadName, setLeadName] = useState("");
  const [text, setText] = useState("");
  const [state, setState] = useState<TestCallTurn["state"] | null>(null);
  const [said, setSaid] = useState<Said[]>([]);
  const [ended, setEnded] = useState(false);

  const open = useMutation({
    mutationFn: () => post<TestCallTurn>(`/campaigns/${id}/test-calls`, { language, lead_name: leadName }),
    onSuccess: (r) => {
      setState(r.state);
      setSaid([{ who: "agent", lines: r.turn.lines, turn: r.turn }]);
      setEnded(r.turn.end_call);
    },
  });
  const hear = useMutation({
    mutationFn: (utterance: string) => post<TestCallTurn>(`/campaigns/${id}/test-calls/turns`, { state, text: utterance }),
    onSuccess: (r, utterance) => {
      setState(r.state);
      setSaid((s) => [...s, { who: "you", lines: [utterance || t("testCall.silence")] }, { who: "agent", lines: r.turn.lines, turn: r.turn }]);
      setEnded(r.turn.end_call);
      setText("");
    },
  });
  const personas = useQuery({
    queryKey: ["test-call-personas"],
    queryFn: () => get<{ items: { name: string; language: string }[] }>("/test-calls/personas"),
  });
  const [persona, setPersona] = useState<string | null>(null);
  const simulate = useMutation({
    mutationFn: () => post<SimulatedTestCall>(`/campaigns/${id}/test-calls/simulations`, { persona, language }),
    onSuccess: (call) => {
      setState(null);
      setSaid(
        call.lines.map((l) =>
          l.speaker === "agent" && l.turn
            ? { who: "agent" as const, lines: l.turn.lines, turn: l.turn }
            : { who: "persona" as const, lines: [l.text || t("testCall.silence")] },
        ),
      );
      setEnded(true);
    },
  });
  const send = (e: FormEvent) => {
    e.preventDefault();
    if (!hear.isPending) hear.mutate(text);
  };

  if (campaign.isPending) return <Loading />;
  if (campaign.isError) return <Failed error={campaign.error} />;
  const last = said.length ? said[said.length - 1].turn : undefined;

  return (
    <Stack maw={820}>
      <Group justify="space-between">
        <Title order={2}>{t("testCall.title", { name: campaign.data.name })}</Title>
        <Button component={Link} to={`/campaigns/${id}`} variant="default">{t("testCall.back")}</Button>
      </Group>
      <Text c="dimmed" size="sm">{t("testCall.intro")}</Text>
      <Card withBorder>
        <Group align="end">
          <ContentLanguageSelect label={t("testCall.language")} value={language} onChange={setLanguage} />
          <TextInput label={t("testCall.leadName")} value={leadName} onChange={(e) => setLeadName(e.currentTarget.value)} maxLength={200} />
          <Button onClick={() => open.mutate()} loading={open.isPending}>
            {state ? t("testCall.restart") : t("testCall.start")}
          </Button>
        </Group>
      </Card>
      <Card withBorder>
        <Group align="end">
          <Select
            label={t("testCall.persona")}
            placeholder={t("testCall.choosePersona")}
            value={persona}
            onChange={setPersona}
            data={(personas.data?.items ?? []).map((p) => ({ value: p.name, label: `${p.name} (${p.language})` }))}
            w={260}
          />
          <Button variant="light" onClick={() => simulate.mutate()} loading={simulate.isPending} disabled={!persona}>
            {t("testCall.simulate")}
          </Button>
        </Group>
      </Card>
      {open.isError && <Failed error={open.error} />}
      {simulate.isError && <Failed error={simulate.error} />}
      {said.length > 0 && (
        <Paper withBorder p="md" aria-live="polite" data-testid="test-call-transcript">
          <Stack gap="sm">
            {said.map((s, i) => (
              <div key={i} data-testid={s.who === "agent" ? "agent-turn" : "callee-turn"}>
                <Text size="xs" c="dimmed" fw={700}>{s.who === "agent" ? t("testCall.agent") : s.who === "you" ? t("testCall.you") : t("testCall.simulatedCallee", { name: persona })}</Text>
                {s.lines.map((line, j) => (
                  <Text key={j}>{line}</Text>
                ))}
                {s.turn && s.turn.intent && (
                  <Group gap={6} mt={4}>
                    <Badge variant="light" data-testid="turn-intent">{t("testCall.intent", { intent: s.turn.intent, confidence: Math.round(s.turn.intent_confidence * 100) })}</Badge>
                    {s.turn.sentiment && <Badge variant="light" color="gray">{t(`sentiment.${s.turn.sentiment}`, s.turn.sentiment)}</Badge>}
                    {s.turn.step && <Badge variant="outline" color="gray">{t("testCall.step", { step: s.turn.step })}</Badge>}
                  </Group>
                )}
                {s.turn && s.turn.action && s.turn.action !== "end_call" && (
                  <Alert color="orange" mt={6} p="xs" data-testid="turn-action">
                    {t(`testCall.action.${s.turn.action}`, { defaultValue: s.turn.action })}
                  </Alert>
                )}
              </div>
            ))}
          </Stack>
        </Paper>
      )}
      {hear.isError && <Failed error={hear.error} />}
      {state && !ended && (
        <form onSubmit={send}>
          <Group align="end">
            <TextInput
              style={{ flex: 1 }}
              label={t("testCall.say")}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              maxLength={2000}
              autoFocus
            />
            <Button type="submit" loading={hear.isPending}>{t("testCall.send")}</Button>
          </Group>
        </form>
      )}
      {ended && (
        <Alert color="blue" title={t("testCall.ended")} data-testid="test-call-ended">
          {last?.disposition && <Text>{t("testCall.outcome", { outcome: t(`outcome.${last.disposition}`, last.disposition) })}</Text>}
          {last?.summary && <Text size="sm">{last.summary}</Text>}
        </Alert>
      )}
    </Stack>
  );
}
