import { lazy, Suspense } from "react";
import { Loader } from "@mantine/core";
import type { EChartsOption } from "echarts";

// ECharts is large; it is loaded only when a chart is first shown.
const EChart = lazy(() => import("./EChart"));

export function Chart({ option, height = 280, label }: { option: EChartsOption; height?: number; label: string }) {
  return (
    <Suspense fallback={<Loader size="sm" aria-label="loading chart" />}>
      <EChart option={option} height={height} label={label} />
    </Suspense>
  );
}
