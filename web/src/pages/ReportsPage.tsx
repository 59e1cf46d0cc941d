import { useState } from "react";
import { Badge, Button, Card, Group, Progress, Select, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { downloadFile, get, post } from "../api/client";
import type { CallReport, Campaign, LeadList, Page, ReportExport } from "../api/types";
import { Chart } from "../components/Chart";
import { SimpleTable } from "../components/SimpleTable";
import { ContentLanguageSelect } from "../components/ContentLanguageSelect";
import { Failed, Loading } from "../components/States";

const download = (e: ReportExport) => downloadFile(`/reports/exports/${e.id}/file`, e.file_name);

export default function ReportsPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  // Empty until chosen: the server then reports its own last seven India days (its clock,
  // not this browser's, says what "today" is).
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [campaign, setCampaign] = useState<string | null>(null);
  const [list, setList] = useState<string | null>(null);
  const [language, setLanguage] = useState<string>(i18n.language === "hi" ? "hi" : "en");
  const filter = { from, to, campaign_id: campaign ?? undefined, list_id: list ?? undefined };

  const campaigns = useQuery({ queryKey: ["campaigns"], queryFn: () => get<Page<Campaign>>("/campaigns", { limit: 200 }) });
  const lists = useQuery({ queryKey: ["lists"], queryFn: () => get<{ items: LeadList[] }>("/lists") });
  const report = useQuery({
    queryKey: ["reports", "calls", filter],
    queryFn: () => get<CallReport>("/reports/calls", filter),
  });
  const shownFrom = from || report.data?.from || "";
  const shownTo = to || report.data?.to || "";
  // Exports are polled only while one is being made.
  const exports = useQuery({
    queryKey: ["reports", "exports"],
    queryFn: () => get<{ items: ReportExport[] }>("/reports/exports"),
    refetchInterval: (q) => (q.state.data?.items.some((e) => e.state === "running") ? 700 : false),
  });
  const start = useMutation({
    mutationFn: (format: "csv" | "xlsx" | "pdf") =>
      post<ReportExport>("/reports/exports", {
        format,
        from: shownFrom || undefined,
        to: shownTo || undefined,
        language,
        campaign_id: campaign ? Number(campaign) : null,
        list_id: list ? Number(list) : null,
      }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["reports", "exports"] }),
  });

  const r = report.data;
  const tiles: [string, string | number][] = r
    ? [
        [t("overview.placed"), r.totals.placed],
        [t("overview.answered"), r.totals.answered],
        [t("overview.connectRate"), `${(r.totals.connect_rate * 100).toFixed(1)}%`],
        [t("overview.converted"), r.totals.converted],
        [t("reports.callbacks"), r.totals.callbacks],
        [t("overview.optedOut"), r.totals.opted_out],
        [t("reports.handedOver"), r.totals.handed_over],
        [t("reports.talkMinutes"), (r.totals.talk_seconds / 60).toFixed(1)],
      ]
    : [];

  return (
    <Stack>
      <Title order={2}>{t("reports.title")}</Title>
      <Card withBorder>
        <Group align="end" wrap="wrap">
          <TextInput type="date" label={t("reports.from")} value={shownFrom} max={shownTo} onChange={(e) => setFrom(e.currentTarget.value)} />
          <TextInput type="date" label={t("reports.to")} value={shownTo} min={shownFrom} onChange={(e) => setTo(e.currentTarget.value)} />
          <Select
            label={t("reports.campaign")}
            placeholder={t("reports.allCampaigns")}
            clearable
            value={campaign}
            onChange={setCampaign}
            data={(campaigns.data?.items ?? []).map((c) => ({ value: String(c.id), label: c.name }))}
          />
          <Select
            label={t("reports.list")}
            placeholder={t("reports.allLeads")}
            clearable
            value={list}
            onChange={setList}
            data={(lists.data?.items ?? []).map((l) => ({ value: String(l.id), label: l.name ?? `#${l.id}` }))}
          />
        </Group>
      </Card>
      {report.isPending && <Loading />}
      {report.isError && <Failed error={report.error} />}
      {r && (
        <>
          <SimpleGrid cols={{ base: 2, sm: 4 }} data-testid="report-totals">
            {tiles.map(([label, value]) => (
              <Card withBorder key={label}>
                <Text size="xs" c="dimmed">{label}</Text>
                <Text size="xl" fw={700}>{value}</Text>
              </Card>
            ))}
          </SimpleGrid>
          <Card withBorder>
            <Title order={4}>{t("reports.perDay")}</Title>
            <Chart
              label={t("reports.perDay")}
              option={{
                tooltip: { trigger: "axis" },
                legend: {},
                xAxis: { type: "category", data: r.by_day.map((d) => d.day.slice(5)) },
                yAxis: { type: "value", minInterval: 1 },
                series: [
                  { name: t("overview.placed"), type: "bar", data: r.by_day.map((d) => d.placed) },
                  { name: t("overview.answered"), type: "bar", data: r.by_day.map((d) => d.answered) },
                  { name: t("overview.converted"), type: "bar", data: r.by_day.map((d) => d.converted) },
                ],
              }}
            />
          </Card>
          <SimpleTable
            query={report}
            rows={r.by_campaign}
            label={t("reports.byCampaign")}
            testId="report-by-campaign"
            columns={[
              { header: t("reports.campaign"), cell: (c) => c.name },
              { header: t("overview.placed"), cell: (c) => c.placed },
              { header: t("overview.answered"), cell: (c) => c.answered },
              { header: t("overview.connectRate"), cell: (c) => `${(c.connect_rate * 100).toFixed(1)}%` },
              { header: t("overview.converted"), cell: (c) => c.converted },
              { header: t("reports.handedOver"), cell: (c) => c.handed_over },
              { header: t("overview.optedOut"), cell: (c) => c.opted_out },
            ]}
          />
        </>
      )}
      <Card withBorder>
        <Stack>
          <Title order={4}>{t("reports.export")}</Title>
          <Group align="end">
            <ContentLanguageSelect label={t("reports.fileLanguage")} value={language} onChange={setLanguage} />
            <Button variant="default" onClick={() => start.mutate("csv")} loading={start.isPending && start.variables === "csv"}>
              {t("reports.exportAs", { format: "CSV" })}
            </Button>
            <Button variant="default" onClick={() => start.mutate("xlsx")} loading={start.isPending && start.variables === "xlsx"}>
              {t("reports.exportAs", { format: "XLSX" })}
            </Button>
            <Button variant="default" onClick={() => start.mutate("pdf")} loading={start.isPending && start.variables === "pdf"}>
              {t("reports.exportAs", { format: "PDF" })}
            </Button>
          </Group>
          {start.isError && <Failed error={start.error} />}
          <Text size="sm" c="dimmed">{t("reports.exportNote")}</Text>
          <SimpleTable
            query={exports}
            rows={exports.data?.items ?? []}
            label={t("reports.exports")}
            testId="report-exports"
            columns={[
              { header: t("reports.file"), cell: (e) => e.file_name },
              {
                header: t("reports.state"),
                cell: (e) => (
                  <Badge color={e.state === "done" ? "green" : e.state === "failed" ? "red" : "blue"} data-testid={`export-state-${e.id}`}>
                    {t(`reports.exportState.${e.state}`)}
                  </Badge>
                ),
              },
              {
                header: t("reports.progress"),
                cell: (e) =>
                  e.state === "failed" ? (
                    <Text size="sm" c="red">{e.error}</Text>
                  ) : (
                    <Group gap="xs" wrap="nowrap">
                      <Progress
                        w={120}
                        value={e.state === "done" ? 100 : e.rows_total ? (100 * e.rows_done) / e.rows_total : 5}
                        animated={e.state === "running"}
                        aria-label={t("reports.progress")}
                      />
                      <Text size="xs">{t("reports.rows", { done: e.rows_done, total: e.rows_total })}</Text>
                    </Group>
                  ),
              },
              {
                header: "",
                cell: (e) =>
                  e.state === "done" && (
                    <Button size="xs" onClick={() => void download(e)} aria-label={t("reports.download", { file: e.file_name })}>
                      {t("reports.downloadShort")}
                    </Button>
                  ),
              },
            ]}
          />
        </Stack>
      </Card>
    </Stack>
  );
}
