import '../shared/elements';
import { SidebarApp } from './app';

new SidebarApp(document.getElementById('app') as HTMLElement).start();
