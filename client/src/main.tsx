// First: it configures validation before any schema module loads.
import './strictPolicy'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { SessionProvider } from './session'
import './styles/app.css'
import './styles/editor.css'
import './styles/library.css'
import './styles/export.css'
import './styles/history.css'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider>
      <App />
    </SessionProvider>
  </StrictMode>,
)
