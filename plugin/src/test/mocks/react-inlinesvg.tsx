/**
 * Replaces the scaffold's react-inlinesvg mock (.config/jest/mocks), which names each icon by
 * running a backtracking regex over `src`: for the inline SVGs Grafana UI passes as `src` (the
 * EmptyState illustrations, ~95 KB) that takes seconds per render. Same output for icon paths.
 */
import React from 'react';

const InlineSVG = ({ src }: { src: string }) => {
  const isPath = !src.trimStart().startsWith('<');
  const file = isPath ? (src.split('/').pop() ?? '') : '';
  const testId = isPath && file.endsWith('.svg') ? file.slice(0, -'.svg'.length) : 'inline-svg';
  return <svg xmlns="http://www.w3.org/2000/svg" data-testid={testId} viewBox="0 0 24 24" />;
};

export default InlineSVG;
