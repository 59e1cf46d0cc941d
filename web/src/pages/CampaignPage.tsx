import { Alert, Badge, Button, Card, Group, List, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { get, post } from "../api/client";
import type { Campaign, CampaignStats, ScriptFinding } from "../api/types";
import { Chart } from "../components/Chart";
import { CampaignHeatmap } from "../components/CampaignHeatmap";
import { Failed, Loading } from "../components/States";
import { useAuth } from "../auth/AuthContext";
import { STATE_COLOR } from "./CampaignsPage";

type CampaignWithFindings = Campaign & { findings: ScriptFinding[] };

export default function CampaignPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const { atLeast } = useAuth();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const campaign = useQuery({ queryKey: ["campaigns", id], queryFn: () => get<CampaignWithFindings>(`/campaigns/${id}`) });
  const stats = useQuery({
    queryKey: ["campaigns", id, "stats"],
    queryFn: () => get<CampaignStats>(`/campaigns/${id}/stats`),
    refetchInterval: 15_000,
  });
  const action = useMutation({
    mutationFn: (verb: "start" | "pause" | "resume") => post<CampaignWithFindings>(`/campaigns/${id}/${verb}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["campaigns"] }),
  });

  if (campaign.isPending) return <Loading />;
  if (campaign.isError) return <Failed error={campaign.error} />;
  const c = campaign.data;
  const state = String(c.state);
  const s = stats.data;
  const outcomes = Object.entries(s?.attempts.by_outcome ?? {}).filter(([k]) => k);
  const answered = outcomes
    .filter(([k]) => !["no_answer", "busy", "failed", "voicemail"].includes(k))
    .reduce((n, [, v]) => n + v, 0);
  const interested = s?.attempts.by_outcome?.interested ?? 0;

  return (
    <Stack>
      <Group justify="space-between">
        <Group>
          <Title order={2}>{c.name}</Title>
          <Badge color={STATE_COLOR[state] ?? "gray"} data-testid="campaign-state">
            {t(`campaignState.${state}`, state)}
          </Badge>
        </Group>
        {atLeast("manager") && (
          <Group>
            <Button variant="default" onClick={() => navigate(`/campaigns/${id}/test`)}>{t("testCall.open")}</Button>
            {(state === "draft" || state === "paused") && (
              <Button variant="default" onClick={() => navigate(`/campaigns/${id}/edit`)}>{t("wizard.edit")}</Button>
            )}
            {state === "draft" && <Button onClick={() => action.mutate("start")} loading={action.isPending}>{t("campaigns.start")}</Button>}
            {state === "running" && <Button color="yellow" onClick={() => action.mutate("pause")} loading={action.isPending}>{t("campaigns.pause")}</Button>}
            {state === "paused" && <Button onClick={() => action.mutate("resume")} loading={action.isPending}>{t("campaigns.resume")}</Button>}
          </Group>
        )}
      </Group>
      {action.isError && <Failed error={action.error} />}
      {c.findings.length > 0 && (
        <Alert color="orange" title={t("campaigns.findings")}>
          <List size="sm">
            {c.findings.map((f, i) => (
              <List.Item key={i}>
                <b>{f.severity}</b> {f.step ? `(${f.step}) ` : ""}
                {f.message}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Card withBorder>
          <Text size="xs" c="dimmed">{t("campaigns.leads")}</Text>
          <Text size="xl" fw={700}>{s?.leads.total ?? "—"}</Text>
        </Card>
        <Card withBorder>
          <Text size="xs" c="dimmed">{t("campaigns.attempts")}</Text>
          <Text size="xl" fw={700} data-testid="campaign-attempts">{s?.attempts.total ?? "—"}</Text>
        </Card>
        <Card withBorder>
          <Text size="xs" c="dimmed">{t("overview.answered")}</Text>
          <Text size="xl" fw={700}>{s ? answered : "—"}</Text>
        </Card>
        <Card withBorder>
          <Text size="xs" c="dimmed">{t("overview.converted")}</Text>
          <Text size="xl" fw={700}>{s ? interested : "—"}</Text>
        </Card>
      </SimpleGrid>
      {s && (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Card withBorder>
            <Title order={4}>{t("campaigns.funnel")}</Title>
            <Chart
              label={t("campaigns.funnel")}
              option={{
                tooltip: {},
                series: [
                  {
                    type: "funnel",
                    sort: "descending",
                    data: [
                      { name: t("campaigns.leads"), value: s.leads.total },
                      { name: t("campaigns.attempts"), value: s.attempts.total },
                      { name: t("overview.answered"), value: answered },
                      { name: t("overview.converted"), value: interested },
                    ],
                  },
                ],
              }}
            />
          </Card>
          <Card withBorder>
            <Title order={4}>{t("campaigns.outcomes")}</Title>
            <Chart
              label={t("campaigns.outcomes")}
              option={{
                tooltip: { trigger: "item" },
                series: [{ type: "pie", radius: ["40%", "70%"], data: outcomes.map(([k, v]) => ({ name: t(`outcome.${k}`, k), value: v })) }],
              }}
            />
          </Card>
        </SimpleGrid>
      )}
      {id && <CampaignHeatmap campaignId={id} />}
    </Stack>
  );
}
