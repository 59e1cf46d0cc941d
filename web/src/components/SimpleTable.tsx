import type { ReactNode } from "react";
import { Paper, ScrollArea, Table } from "@mantine/core";
import type { UseQueryResult } from "@tanstack/react-query";
import { Empty, Failed, Loading } from "./States";

export interface SimpleColumn<T> {
  header: string;
  cell: (row: T) => ReactNode;
}

// A small table over one query, with its loading, error and empty states.
export function SimpleTable<T>({
  query,
  rows,
  columns,
  label,
  testId,
}: {
  query: UseQueryResult<unknown>;
  rows: T[];
  columns: SimpleColumn<T>[];
  label: string;
  testId?: string;
}) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <Failed error={query.error} />;
  if (rows.length === 0) return <Empty />;
  return (
    <Paper withBorder>
      {/* Focusable, so a keyboard can scroll a table wider than the screen. */}
      <ScrollArea viewportProps={{ tabIndex: 0 }}>
        <Table aria-label={label} data-testid={testId} striped>
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th key={c.header}>{c.header}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row, i) => (
              <Table.Tr key={i}>
                {columns.map((c) => (
                  <Table.Td key={c.header}>{c.cell(row)}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </Paper>
  );
}

export const when = (iso?: string | null) => (iso ? new Date(iso).toLocaleString() : "—");
