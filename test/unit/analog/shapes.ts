/**
 * Tile shapes (rows, columns) the differential tests run every kernel on: a single element, fewer rows than the
 * 4- and 8-row unrolls, one above them, square at the unroll width, wide and tall.
 */
export const ODD_SHAPES: ReadonlyArray<readonly [number, number]> = [
  [1, 1],
  [3, 5],
  [17, 9],
  [9, 17],
  [8, 8],
  [33, 4],
];
