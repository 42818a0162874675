import '../shared/elements';
import { DashboardApp } from './app';

new DashboardApp(document.getElementById('app') as HTMLElement).start();
