// Grafana's dashboard grid: 24 columns, rows of 30 px units. Panels are placed left to right,
// wrapping at the grid's width, under collapsible-looking row headers; ids in order.
import type { Panel, RowPanel } from '@grafana/schema';

import type { UnplacedPanel } from './panels';

const WIDTH = 24;

export class Grid {
  private readonly panels: Array<Panel | RowPanel> = [];
  private x = 0;
  private y = 0;
  private lineHeight = 0;
  private nextId = 1;

  /** A row header, starting a new line. */
  row(title: string): this {
    this.newLine();
    this.panels.push({
      type: 'row',
      title,
      id: this.nextId++,
      collapsed: false,
      gridPos: { x: 0, y: this.y, w: 24, h: 1 },
      panels: [],
    });
    this.y += 1;
    return this;
  }

  /** A panel `w` columns wide and `h` units high, beside the previous one if it fits. */
  add(w: number, h: number, panel: UnplacedPanel): this {
    if (w < 1 || w > WIDTH || h < 1) {
      throw new Error(`${panel.title}: a panel is 1 to ${WIDTH} columns wide and at least 1 unit high`);
    }
    if (this.x + w > WIDTH) {
      this.newLine();
    }
    this.panels.push({ ...panel, id: this.nextId++, gridPos: { x: this.x, y: this.y, w, h } });
    this.x += w;
    this.lineHeight = Math.max(this.lineHeight, h);
    return this;
  }

  build(): Array<Panel | RowPanel> {
    return this.panels;
  }

  private newLine() {
    this.y += this.lineHeight;
    this.x = 0;
    this.lineHeight = 0;
  }
}
