import { useState } from "react";
import { Card, Group, SegmentedControl, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { get } from "../api/client";
import type { CampaignHeatmap as Heatmap } from "../api/types";
import { Chart } from "./Chart";
import { Failed, Loading } from "./States";

// Answer and conversion rate by weekday × hour of the callee's own clock, so a manager
// sees which hours of the calling window work.
export function CampaignHeatmap({ campaignId }: { campaignId: string }) {
  const { t } = useTranslation();
  const [metric, setMetric] = useState<"answer_rate" | "conversion_rate">("answer_rate");
  const heatmap = useQuery({
    queryKey: ["campaigns", campaignId, "heatmap"],
    queryFn: () => get<Heatmap>(`/campaigns/${campaignId}/heatmap`),
    refetchInterval: 30_000,
  });
  const days = t("heatmap.weekdays").split(",");
  const hours = Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, "0")}:00`);
  return (
    <Card withBorder>
      <Group justify="space-between">
        <Title order={4}>{t("heatmap.title")}</Title>
        <SegmentedControl
          size="xs"
          value={metric}
          onChange={(v) => setMetric(v as typeof metric)}
          data={[
            { value: "answer_rate", label: t("heatmap.answerRate") },
            { value: "conversion_rate", label: t("heatmap.conversionRate") },
          ]}
        />
      </Group>
      {heatmap.isPending && <Loading />}
      {heatmap.isError && <Failed error={heatmap.error} />}
      {heatmap.data && heatmap.data.cells.length === 0 && (
        <Text c="dimmed" p="md" ta="center">{t("heatmap.empty")}</Text>
      )}
      {heatmap.data && heatmap.data.cells.length > 0 && (
        <>
          <Chart
            label={t("heatmap.title")}
            height={300}
            option={{
              tooltip: {
                formatter: (p: unknown) => {
                  const v = (p as { value: [number, number, number, number] }).value;
                  return `${days[v[1]]} ${hours[v[0]]}<br/>${Math.round(v[2] * 100)}% · ${t("heatmap.calls", { count: v[3] })}`;
                },
              },
              grid: { left: 48, right: 16, top: 8, bottom: 64 },
              xAxis: { type: "category", data: hours, splitArea: { show: true } },
              yAxis: { type: "category", data: days, splitArea: { show: true } },
              visualMap: { min: 0, max: 1, calculable: true, orient: "horizontal", left: "center", bottom: 0, formatter: (v: unknown) => `${Math.round(Number(v) * 100)}%` },
              series: [
                {
                  type: "heatmap",
                  data: heatmap.data.cells.map((c) => [c.hour, c.weekday, c[metric], c.placed]),
                },
              ],
            }}
          />
          <Text size="xs" c="dimmed">{t("heatmap.note")}</Text>
        </>
      )}
    </Card>
  );
}
