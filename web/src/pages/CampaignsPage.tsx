import { Badge, Button, Group, Paper, Table, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import { useAuth } from "../auth/AuthContext";
import { get } from "../api/client";
import type { Campaign, Page } from "../api/types";
import { Empty, Failed, Loading } from "../components/States";

export const STATE_COLOR: Record<string, string> = {
  draft: "gray",
  running: "green",
  paused: "yellow",
  completed: "blue",
  archived: "dark",
};

export default function CampaignsPage() {
  const { t } = useTranslation();
  const { atLeast } = useAuth();
  const navigate = useNavigate();
  const campaigns = useQuery({ queryKey: ["campaigns"], queryFn: () => get<Page<Campaign>>("/campaigns", { limit: 200 }) });
  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={2}>{t("campaigns.title")}</Title>
        {atLeast("manager") && <Button onClick={() => navigate("/campaigns/new")}>{t("wizard.title")}</Button>}
      </Group>
      {campaigns.isPending && <Loading />}
      {campaigns.isError && <Failed error={campaigns.error} />}
      {campaigns.isSuccess && campaigns.data.items.length === 0 && <Empty text={t("campaigns.none")} />}
      {campaigns.isSuccess && campaigns.data.items.length > 0 && (
        <Paper withBorder>
          <Table highlightOnHover aria-label={t("campaigns.title")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("campaigns.name")}</Table.Th>
                <Table.Th>{t("campaigns.state")}</Table.Th>
                <Table.Th>{t("campaigns.goal")}</Table.Th>
                <Table.Th>{t("campaigns.languages")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {campaigns.data.items.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Link to={`/campaigns/${c.id}`}>{c.name}</Link>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={STATE_COLOR[String(c.state)] ?? "gray"}>{t(`campaignState.${c.state}`, String(c.state))}</Badge>
                  </Table.Td>
                  <Table.Td>{t(`goal.${c.goal}`, String(c.goal ?? ""))}</Table.Td>
                  <Table.Td>{t(`languages.${c.languages}`, String(c.languages ?? ""))}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
    </>
  );
}
