// Grafana UI's icons load their SVG over the network (react-inlinesvg); in jsdom that is an
// async update after each test. Like create-plugin's jest mock, render an empty <svg> at once.
import { SVGProps } from 'react';

export default function InlineSVG({ src, ...rest }: SVGProps<SVGSVGElement> & { src?: string }) {
  const { cacheRequests: _c, innerRef: _r, loader: _l, ...svgProps } = rest as Record<string, unknown>;
  return <svg data-src={src} {...svgProps} />;
}
