export { renderTable, type Column } from '../core/units/table';
