import { useEffect, useState } from "react";
import {
  Alert, Badge, Button, Card, Checkbox, Group, JsonInput, List, MultiSelect, NumberInput, Select, SimpleGrid,
  Stack, Stepper, Text, TextInput, Textarea, Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { ApiError, get, patch, post } from "../api/client";
import type { Campaign, LeadList, ScriptFinding } from "../api/types";
import type { components } from "../api/schema";
import { useCallingDefaults } from "../components/CallingPolicyForm";
import { Failed, Loading } from "../components/States";

// The script is checked by the server against its own schema; here it is any JSON.
type Config = Omit<components["schemas"]["CampaignConfig"], "script"> & { script?: unknown };
type Knowledge = components["schemas"]["KnowledgeEntry"];
type Saved = Campaign & { findings: ScriptFinding[] };
interface Generated {
  script: Record<string, unknown>;
  source: string;
  findings: ScriptFinding[];
  notes: string[];
}

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const EDITABLE: (keyof Config)[] = [
  "name", "business_name", "goal", "product_facts", "offer", "call_class", "call_class_reason", "ncpr_category",
  "languages", "script", "knowledge", "provider", "caller_id", "dlt", "window", "max_concurrent_calls",
  "calls_per_second", "attempts", "start_date", "end_date", "list_ids", "voicemail_policy", "voicemail_message",
  "conversation_transport", "transfer_number",
];

function editable(c: Partial<Config>): Config {
  const out: Record<string, unknown> = {};
  for (const key of EDITABLE) if (c[key] !== undefined) out[key] = c[key];
  return out as Config;
}

// Which wizard step can fix a finding, by its code.
const FINDING_STEP: Record<string, number> = {
  ncpr_category_missing: 0, call_class_reason_missing: 0, script_missing: 1, no_leads: 3, end_date_past: 4,
  window_outside_default_hours: 4, caller_id_missing: 5, caller_id_not_140: 5, twilio_india: 5,
  dlt_entity_id_missing: 5, dlt_series_not_140: 5, dlt_declaration_missing: 5, dlt_declaration_future: 5,
};
const stepOfFinding = (f: ScriptFinding) => FINDING_STEP[f.code] ?? (f.step || f.code.startsWith("script") ? 1 : 6);

function Findings({ findings, step }: { findings: ScriptFinding[]; step?: number }) {
  const { t } = useTranslation();
  const shown = step === undefined ? findings : findings.filter((f) => stepOfFinding(f) === step);
  if (!shown.length) return null;
  const errors = shown.some((f) => f.severity === "error");
  return (
    <Alert color={errors ? "red" : "orange"} title={t("campaigns.findings")} data-testid="wizard-findings">
      <List size="sm">
        {shown.map((f, i) => (
          <List.Item key={i}>
            <Badge size="xs" color={f.severity === "error" ? "red" : "orange"} mr={6}>
              {f.severity}
            </Badge>
            {f.step ? `${f.step}: ` : ""}
            {f.message}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

// Goal and product → generated script (editable, checked) → knowledge base → leads →
// window, pacing, attempts → provider and DLT facts → review and start. The draft is saved
// on the server from the second step on, so the compliance checker's findings are always
// the server's own, shown beside the step that can fix them.
export default function CampaignWizardPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [step, setStep] = useState(0);
  const [config, setConfig] = useState<Config>({
    name: "", business_name: "", goal: "", product_facts: "", offer: "", call_class: "promotional",
    call_class_reason: "", ncpr_category: null, languages: "auto", knowledge: [], provider: "simulator",
    caller_id: "", dlt: { entity_id: "", caller_id_series: "", declaration_date: "" },
    window: { start: "10:00", end: "21:00", days: [...DAYS], skip_holidays: true },
    max_concurrent_calls: 10, calls_per_second: 1,
    attempts: { max_per_day: 1, max_per_campaign: 3, min_gap_hours: 24, stop_after_refusal: true },
    list_ids: [], voicemail_policy: "hang_up", conversation_transport: "gather", transfer_number: "",
  });
  const [campaignId, setCampaignId] = useState<number | null>(id ? Number(id) : null);
  const [findings, setFindings] = useState<ScriptFinding[]>([]);
  const [scriptText, setScriptText] = useState("");
  const [notes, setNotes] = useState<string[]>([]);
  const [problem, setProblem] = useState<ApiError | null>(null);

  const existing = useQuery({
    queryKey: ["campaigns", id],
    queryFn: () => get<Saved>(`/campaigns/${id}`),
    enabled: !!id,
  });
  useEffect(() => {
    if (!existing.data) return;
    setConfig(editable(existing.data as unknown as Config));
    setFindings(existing.data.findings);
    setScriptText(JSON.stringify(existing.data.script ?? null, null, 2));
  }, [existing.data]);
  const lists = useQuery({ queryKey: ["lists"], queryFn: () => get<{ items: LeadList[] }>("/lists") });
  // A new campaign starts with the business's calling-policy defaults (Settings).
  const defaults = useCallingDefaults();
  useEffect(() => {
    if (id || campaignId !== null) return;
    setConfig((c) => ({
      ...c,
      window: defaults.window ? ({ ...c.window, ...defaults.window } as Config["window"]) : c.window,
      attempts: defaults.attempts ? ({ ...c.attempts, ...defaults.attempts } as Config["attempts"]) : c.attempts,
    }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [defaults.window, defaults.attempts]);
  // What a start would say now (every save invalidates it): the DLT, class and lead checks
  // beside the script's own findings.
  const readiness = useQuery({
    queryKey: ["campaigns", campaignId, "readiness"],
    queryFn: () => get<{ findings: ScriptFinding[]; can_start: boolean }>(`/campaigns/${campaignId}/readiness`),
    enabled: campaignId !== null,
  });

  const set = <K extends keyof Config>(key: K, value: Config[K]) => setConfig((c) => ({ ...c, [key]: value }));
  const fieldError = (prefix: string) =>
    problem?.problem.errors?.filter((e) => e.field === prefix || e.field.startsWith(`${prefix}.`) || e.field.startsWith(`${prefix}[`))
      .map((e) => e.message)
      .join("; ") || undefined;

  const save = useMutation({
    mutationFn: async (next: Config) => {
      const body = editable(next);
      return campaignId ? patch<Saved>(`/campaigns/${campaignId}`, body) : post<Saved>("/campaigns", body);
    },
    onSuccess: (saved) => {
      setProblem(null);
      setCampaignId(saved.id);
      setFindings(saved.findings);
      void queryClient.invalidateQueries({ queryKey: ["campaigns"] });
    },
    onError: (e) => setProblem(e instanceof ApiError ? e : null),
  });
  const generate = useMutation({
    mutationFn: () => post<Generated>("/campaigns/script/generate", editable(config)),
    onSuccess: (g) => {
      setScriptText(JSON.stringify(g.script, null, 2));
      setNotes(g.notes);
      const next = { ...config, script: g.script };
      setConfig(next);
      save.mutate(next, { onSuccess: () => setStep(1) });
    },
    onError: (e) => setProblem(e instanceof ApiError ? e : null),
  });
  const start = useMutation({
    mutationFn: () => post<Saved>(`/campaigns/${campaignId}/start`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ["campaigns"] });
      navigate(`/campaigns/${campaignId}`);
    },
    onError: (e) => {
      if (e instanceof ApiError) {
        setProblem(e);
        if (e.problem.findings) setFindings(e.problem.findings as ScriptFinding[]);
      }
    },
  });

  const next = () => {
    let updated = config;
    if (step === 1) {
      try {
        updated = { ...config, script: JSON.parse(scriptText) };
      } catch (e) {
        setProblem(new ApiError({ status: 400, code: "script_json", detail: `${t("wizard.scriptJson")}: ${String(e)}` }));
        return;
      }
      setConfig(updated);
    }
    save.mutate(updated, { onSuccess: () => setStep((s) => Math.min(s + 1, 6)) });
  };

  if (id && existing.isPending) return <Loading />;
  if (id && existing.isError) return <Failed error={existing.error} />;
  const busy = save.isPending || generate.isPending;
  const knowledge = config.knowledge ?? [];
  const setKnowledge = (i: number, entry: Partial<Knowledge>) =>
    set("knowledge", knowledge.map((k, j) => (j === i ? { ...k, ...entry } : k)));
  const shown = [...findings];
  for (const f of readiness.data?.findings ?? [])
    if (!shown.some((g) => g.code === f.code && g.message === f.message)) shown.push(f);

  return (
    <Stack>
      <Title order={2}>{id ? t("wizard.editTitle") : t("wizard.title")}</Title>
      {problem && (
        <Alert color="red" role="alert" title={t("state.error")}>
          {problem.message}
          {problem.problem.errors && (
            <List size="sm">
              {problem.problem.errors.map((e, i) => (
                <List.Item key={i}>
                  <b>{e.field}</b>: {e.message}
                </List.Item>
              ))}
            </List>
          )}
        </Alert>
      )}
      <Stepper active={step} onStepClick={(s) => (campaignId ? setStep(s) : undefined)} size="xs">
        <Stepper.Step label={t("wizard.goal")}>
          <Stack mt="md">
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <TextInput label={t("campaigns.name")} required value={config.name} onChange={(e) => set("name", e.currentTarget.value)} error={fieldError("name")} />
              <TextInput label={t("wizard.business")} value={config.business_name ?? ""} onChange={(e) => set("business_name", e.currentTarget.value)} />
            </SimpleGrid>
            <TextInput label={t("campaigns.goal")} value={config.goal ?? ""} onChange={(e) => set("goal", e.currentTarget.value)} error={fieldError("goal")} />
            <Textarea label={t("wizard.product")} description={t("wizard.productHint")} autosize minRows={3} value={config.product_facts ?? ""} onChange={(e) => set("product_facts", e.currentTarget.value)} />
            <TextInput label={t("wizard.offer")} value={config.offer ?? ""} onChange={(e) => set("offer", e.currentTarget.value)} />
            <SimpleGrid cols={{ base: 1, md: 3 }}>
              <Select label={t("wizard.callClass")} value={config.call_class} onChange={(v) => set("call_class", (v ?? "promotional") as Config["call_class"])}
                data={["promotional", "service", "transactional"].map((v) => ({ value: v, label: t(`wizard.class.${v}`) }))} />
              <Select label={t("wizard.ncpr")} clearable value={config.ncpr_category ? String(config.ncpr_category) : null}
                onChange={(v) => set("ncpr_category", v ? Number(v) : null)}
                data={[1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ value: String(n), label: t(`wizard.ncprCategory.${n}`) }))} />
              <Select label={t("campaigns.languages")} value={config.languages} onChange={(v) => set("languages", (v ?? "auto") as Config["languages"])}
                data={["auto", "en", "hi"].map((v) => ({ value: v, label: t(`languages.${v}`) }))} />
            </SimpleGrid>
            {config.call_class !== "promotional" && (
              <Textarea label={t("wizard.classReason")} description={t("wizard.classReasonHint")} value={config.call_class_reason ?? ""}
                onChange={(e) => set("call_class_reason", e.currentTarget.value)} error={fieldError("call_class_reason")} />
            )}
            <Findings findings={shown} step={0} />
            <Group>
              <Button onClick={() => generate.mutate()} loading={busy} disabled={!config.name || !config.goal}>
                {t("wizard.generate")}
              </Button>
              {campaignId && <Button variant="default" onClick={next} loading={busy}>{t("wizard.saveNext")}</Button>}
            </Group>
          </Stack>
        </Stepper.Step>
        <Stepper.Step label={t("wizard.script")}>
          <Stack mt="md">
            {notes.map((n) => <Text key={n} size="sm" c="dimmed">{n}</Text>)}
            <Findings findings={shown} step={1} />
            <JsonInput label={t("wizard.script")} description={t("wizard.scriptHint")} value={scriptText} onChange={setScriptText}
              autosize minRows={12} maxRows={28} validationError={t("wizard.scriptJson")} formatOnBlur data-testid="script-editor" />
            <Group><Button onClick={next} loading={busy}>{t("wizard.saveNext")}</Button></Group>
          </Stack>
        </Stepper.Step>
        <Stepper.Step label={t("wizard.knowledge")}>
          <Stack mt="md">
            <Text size="sm" c="dimmed">{t("wizard.knowledgeHint")}</Text>
            {knowledge.map((k, i) => (
              <Card withBorder key={i}>
                <SimpleGrid cols={{ base: 1, md: 2 }}>
                  <Select label={t("wizard.kind")} value={k.kind} onChange={(v) => setKnowledge(i, { kind: (v ?? "faq") as Knowledge["kind"] })} data={["faq", "objection"]} />
                  <TextInput label={t("wizard.intent")} value={k.intent ?? ""} onChange={(e) => setKnowledge(i, { intent: e.currentTarget.value })} error={fieldError(`knowledge[${i}]`)} />
                  <TextInput label={t("wizard.questionEn")} value={k.question_en ?? ""} onChange={(e) => setKnowledge(i, { question_en: e.currentTarget.value })} />
                  <TextInput label={t("wizard.questionHi")} value={k.question_hi ?? ""} onChange={(e) => setKnowledge(i, { question_hi: e.currentTarget.value })} />
                  <Textarea label={t("wizard.answerEn")} value={k.answer_en ?? ""} onChange={(e) => setKnowledge(i, { answer_en: e.currentTarget.value })} />
                  <Textarea label={t("wizard.answerHi")} value={k.answer_hi ?? ""} onChange={(e) => setKnowledge(i, { answer_hi: e.currentTarget.value })} />
                </SimpleGrid>
                <Group justify="flex-end" mt="xs">
                  <Button size="xs" variant="subtle" color="red" onClick={() => set("knowledge", knowledge.filter((_, j) => j !== i))}>{t("wizard.remove")}</Button>
                </Group>
              </Card>
            ))}
            <Group>
              <Button variant="default" onClick={() => set("knowledge", [...knowledge, { kind: "faq", intent: "ask_price", question_en: "", question_hi: "", answer_en: "", answer_hi: "" } as Knowledge])}>
                {t("wizard.addEntry")}
              </Button>
              <Button onClick={next} loading={busy}>{t("wizard.saveNext")}</Button>
            </Group>
          </Stack>
        </Stepper.Step>
        <Stepper.Step label={t("wizard.leads")}>
          <Stack mt="md">
            <MultiSelect label={t("wizard.lists")} value={(config.list_ids ?? []).map(String)} onChange={(v) => set("list_ids", v.map(Number))}
              data={(lists.data?.items ?? []).map((l) => ({ value: String(l.id), label: `${l.name} (${l.leads ?? 0})` }))} error={fieldError("list_ids")} />
            <Findings findings={shown} step={3} />
            <Group><Button onClick={next} loading={busy}>{t("wizard.saveNext")}</Button></Group>
          </Stack>
        </Stepper.Step>
        <Stepper.Step label={t("wizard.window")}>
          <Stack mt="md">
            <SimpleGrid cols={{ base: 2, md: 4 }}>
              <TextInput label={t("wizard.from")} value={config.window?.start ?? ""} onChange={(e) => set("window", { ...config.window!, start: e.currentTarget.value })} error={fieldError("window.start")} />
              <TextInput label={t("wizard.to")} value={config.window?.end ?? ""} onChange={(e) => set("window", { ...config.window!, end: e.currentTarget.value })} error={fieldError("window.end")} />
              <NumberInput label={t("wizard.concurrent")} min={1} max={1000} value={config.max_concurrent_calls} onChange={(v) => set("max_concurrent_calls", Number(v))} />
              <NumberInput label={t("wizard.cps")} min={0.1} max={50} step={0.5} decimalScale={2} value={config.calls_per_second} onChange={(v) => set("calls_per_second", Number(v))} />
            </SimpleGrid>
            <MultiSelect label={t("wizard.days")} value={(config.window?.days ?? []) as string[]} onChange={(v) => set("window", { ...config.window!, days: v as typeof DAYS[number][] })}
              data={DAYS.map((d) => ({ value: d, label: t(`wizard.day.${d}`) }))} />
            <Checkbox label={t("wizard.skipHolidays")} checked={config.window?.skip_holidays ?? true} onChange={(e) => set("window", { ...config.window!, skip_holidays: e.currentTarget.checked })} />
            <SimpleGrid cols={{ base: 2, md: 4 }}>
              <NumberInput label={t("wizard.perDay")} min={1} max={10} value={config.attempts?.max_per_day} onChange={(v) => set("attempts", { ...config.attempts!, max_per_day: Number(v) })} />
              <NumberInput label={t("wizard.perCampaign")} min={1} max={20} value={config.attempts?.max_per_campaign} onChange={(v) => set("attempts", { ...config.attempts!, max_per_campaign: Number(v) })} />
              <NumberInput label={t("wizard.gap")} min={0} max={720} value={config.attempts?.min_gap_hours} onChange={(v) => set("attempts", { ...config.attempts!, min_gap_hours: Number(v) })} />
              <Checkbox mt="lg" label={t("wizard.stopAfterRefusal")} checked={config.attempts?.stop_after_refusal ?? true} onChange={(e) => set("attempts", { ...config.attempts!, stop_after_refusal: e.currentTarget.checked })} />
            </SimpleGrid>
            <Findings findings={shown} step={4} />
            <Group><Button onClick={next} loading={busy}>{t("wizard.saveNext")}</Button></Group>
          </Stack>
        </Stepper.Step>
        <Stepper.Step label={t("wizard.provider")}>
          <Stack mt="md">
            <SimpleGrid cols={{ base: 1, md: 3 }}>
              <Select label={t("wizard.providerName")} value={config.provider} onChange={(v) => set("provider", (v ?? "simulator") as Config["provider"])}
                data={["simulator", "twilio", "exotel", "plivo"]} />
              <TextInput label={t("wizard.callerId")} value={config.caller_id ?? ""} onChange={(e) => set("caller_id", e.currentTarget.value)} error={fieldError("caller_id")} />
              <TextInput label={t("wizard.transfer")} value={config.transfer_number ?? ""} onChange={(e) => set("transfer_number", e.currentTarget.value)} error={fieldError("transfer_number")} />
              <TextInput label={t("wizard.dltEntity")} value={config.dlt?.entity_id ?? ""} onChange={(e) => set("dlt", { ...config.dlt!, entity_id: e.currentTarget.value })} error={fieldError("dlt.entity_id")} />
              <Select label={t("wizard.dltSeries")} value={config.dlt?.caller_id_series ?? ""} onChange={(v) => set("dlt", { ...config.dlt!, caller_id_series: (v ?? "") as "" | "140" | "1600" })}
                data={[{ value: "", label: "—" }, { value: "140", label: "140" }, { value: "1600", label: "1600" }]} />
              <TextInput label={t("wizard.dltDeclared")} placeholder="YYYY-MM-DD" value={config.dlt?.declaration_date ?? ""} onChange={(e) => set("dlt", { ...config.dlt!, declaration_date: e.currentTarget.value })} error={fieldError("dlt.declaration_date")} />
            </SimpleGrid>
            <Findings findings={shown} step={5} />
            <Group><Button onClick={next} loading={busy}>{t("wizard.saveNext")}</Button></Group>
          </Stack>
        </Stepper.Step>
        <Stepper.Step label={t("wizard.review")}>
          <Stack mt="md">
            <Card withBorder>
              <Text><b>{config.name}</b> · {t(`wizard.class.${config.call_class}`)} · {config.provider}</Text>
              <Text size="sm">{config.goal}</Text>
              <Text size="sm">{t("wizard.from")} {config.window?.start} {t("wizard.to")} {config.window?.end} · {(config.list_ids ?? []).length} {t("wizard.lists")}</Text>
            </Card>
            <Findings findings={shown} />
            {readiness.data?.can_start && <Alert color="green">{t("wizard.ready")}</Alert>}
            <Group>
              <Button variant="default" onClick={() => navigate(`/campaigns/${campaignId}`)}>{t("wizard.saveDraft")}</Button>
              <Button onClick={() => start.mutate()} loading={start.isPending} disabled={!campaignId}>{t("campaigns.start")}</Button>
            </Group>
          </Stack>
        </Stepper.Step>
      </Stepper>
    </Stack>
  );
}
