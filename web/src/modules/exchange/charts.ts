// Registers the ECharts parts (tree-shaken) the exchange statistics draw: line and bar charts with grid, legend and tooltip.
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent]);
