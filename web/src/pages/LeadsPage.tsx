import { useMemo, useRef, useState, useEffect } from "react";
import { Badge, Group, Paper, Select, Text, TextInput, Title, Table } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useInfiniteQuery } from "@tanstack/react-query";
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { get } from "../api/client";
import type { Lead, Page } from "../api/types";
import { Empty, Failed } from "../components/States";

const PAGE = 200;
const ROW_HEIGHT = 40;
const column = createColumnHelper<Lead>();

// Leads are paged on the server with keyset cursors, so the page costs the same with a
// thousand leads or ten million: rows are fetched 200 at a time as the user scrolls, and
// only the rows in view are in the DOM.
export function LeadsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search, 300);
  const [status, setStatus] = useState<string | null>(null);
  const [dnd, setDnd] = useState<string | null>(null);
  const [language, setLanguage] = useState<string | null>(null);
  const filters = { q, status, dnd_state: dnd, language };

  const leads = useInfiniteQuery({
    queryKey: ["leads", filters],
    queryFn: ({ pageParam }) =>
      get<Page<Lead>>("/leads", { ...filters, limit: PAGE, after: pageParam || undefined }),
    initialPageParam: "",
    getNextPageParam: (last) => last.next_cursor || undefined,
  });
  const rows = useMemo(() => leads.data?.pages.flatMap((p) => p.items) ?? [], [leads.data]);

  const columns = useMemo(
    () => [
      column.accessor("name", { header: () => t("leads.name"), cell: (c) => c.getValue() || "—" }),
      column.accessor("phone", { header: () => t("leads.phone"), cell: (c) => c.getValue() ?? "—" }),
      column.accessor("status", { header: () => t("leads.status"), cell: (c) => t(`status.${c.getValue()}`, c.getValue()) }),
      column.accessor((l) => l.dnd?.state ?? "unknown", {
        id: "dnd",
        header: () => t("leads.dnd"),
        cell: (c) => (
          <Badge color={c.getValue() === "blocked" ? "red" : c.getValue() === "clear" ? "green" : "gray"} variant="light">
            {t(`dnd.${c.getValue()}`, c.getValue())}
          </Badge>
        ),
      }),
      column.accessor("language", { header: () => t("leads.language"), cell: (c) => c.getValue() || "—" }),
      column.accessor("city", { header: () => t("leads.city"), cell: (c) => c.getValue() || "—" }),
    ],
    [t],
  );
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel() });

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1].index : 0;
  useEffect(() => {
    if (lastIndex >= rows.length - 40 && leads.hasNextPage && !leads.isFetchingNextPage) void leads.fetchNextPage();
  }, [lastIndex, rows.length, leads]);

  const padTop = items.length ? items[0].start : 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;

  return (
    <>
      <Group justify="space-between" mb="sm">
        <Title order={2}>{t("leads.title")}</Title>
        <Text size="sm" c="dimmed" data-testid="leads-loaded">
          {t("leads.loaded", { count: rows.length })}
          {leads.hasNextPage ? "+" : ""}
        </Text>
      </Group>
      <Group mb="sm" gap="sm" wrap="wrap">
        <TextInput
          label={t("leads.search")}
          placeholder={t("leads.searchHint")}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={260}
        />
        <Select
          label={t("leads.status")}
          clearable
          value={status}
          onChange={setStatus}
          data={["new", "contacted", "interested", "not_interested", "callback", "converted", "do_not_call", "wrong_number"].map((s) => ({
            value: s,
            label: t(`status.${s}`, s),
          }))}
          w={180}
        />
        <Select
          label={t("leads.dnd")}
          clearable
          value={dnd}
          onChange={setDnd}
          data={["blocked", "partial", "clear", "unknown"].map((s) => ({ value: s, label: t(`dnd.${s}`, s) }))}
          w={160}
        />
        <Select
          label={t("leads.language")}
          clearable
          value={language}
          onChange={setLanguage}
          data={[
            { value: "en", label: "English" },
            { value: "hi", label: "हिन्दी" },
          ]}
          w={140}
        />
      </Group>
      {leads.isError && <Failed error={leads.error} />}
      <Paper withBorder>
        <div ref={scroller} style={{ height: "calc(100vh - 260px)", minHeight: 320, overflow: "auto" }} data-testid="leads-scroller">
          <Table stickyHeader highlightOnHover aria-label={t("leads.title")} style={{ tableLayout: "fixed" }}>
            <Table.Thead>
              {table.getHeaderGroups().map((group) => (
                <Table.Tr key={group.id}>
                  {group.headers.map((h) => (
                    <Table.Th key={h.id}>{flexRender(h.column.columnDef.header, h.getContext())}</Table.Th>
                  ))}
                </Table.Tr>
              ))}
            </Table.Thead>
            <Table.Tbody>
              {padTop > 0 && (
                <tr>
                  <td style={{ height: padTop }} colSpan={columns.length} />
                </tr>
              )}
              {items.map((item) => {
                const row = table.getRowModel().rows[item.index];
                return (
                  <Table.Tr
                    key={row.id}
                    style={{ height: ROW_HEIGHT, cursor: "pointer" }}
                    tabIndex={0}
                    data-testid="lead-row"
                    onClick={() => navigate(`/leads/${row.original.id}`)}
                    onKeyDown={(e) => e.key === "Enter" && navigate(`/leads/${row.original.id}`)}
                  >
                    {row.getVisibleCells().map((cell) => (
                      <Table.Td key={cell.id} style={{ whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis" }}>
                        {flexRender(cell.column.columnDef.cell, cell.getContext())}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                );
              })}
              {padBottom > 0 && (
                <tr>
                  <td style={{ height: padBottom }} colSpan={columns.length} />
                </tr>
              )}
            </Table.Tbody>
          </Table>
          {leads.isPending && <Empty text={t("state.loading")} />}
          {leads.isSuccess && rows.length === 0 && <Empty text={t("leads.none")} />}
        </div>
      </Paper>
    </>
  );
}
